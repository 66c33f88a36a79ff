namespace Waymark.Storage.Counts;

/// <summary>Journey statistics in <c>waymark_count_deltas</c> (pending changes, written by the customer log) and
/// <c>waymark_counts</c> (totals per counter and UTC hour), on the node's database.</summary>
public sealed class SqlCountStore : ICountStore
{
    // A flush holds the locks of its rows (on SQLite, the database's write lock) until it commits: the bound keeps
    // one call, and the appends waiting on it, short.
    private const int MaxFlush = 100_000;

    private readonly WaymarkDatabase _database;
    private readonly CountDialect _dialect;

    public SqlCountStore(WaymarkDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _dialect = CountDialect.For(database.Provider);
    }

    public async Task<int> FlushAsync(int maxDeltas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDeltas);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDeltas, MaxFlush);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        return await _dialect.FlushAsync(connection, maxDeltas, cancellationToken);
    }

    public async Task<IReadOnlyList<CountTotal>> ReadAsync(
        string workspace,
        string journeyId,
        int? version,
        DateTimeOffset? from,
        DateTimeOffset? to,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(journeyId);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        _dialect.PrepareRead(command, workspace, journeyId, version, from, to);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var totals = new List<CountTotal>();
        while (await reader.ReadAsync(cancellationToken))
        {
            totals.Add(_dialect.ReadTotal(reader));
        }

        return totals;
    }
}
