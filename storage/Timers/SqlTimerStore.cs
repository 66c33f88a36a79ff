namespace Waymark.Storage.Timers;

/// <summary>The timer wheel's table, <c>waymark_timers</c>, on the node's database.</summary>
public sealed class SqlTimerStore : ITimerStore
{
    // A page is read into memory whole; a shard asks for a few hundred.
    private const int MaxLimit = 10_000;

    private readonly WaymarkDatabase _database;
    private readonly TimerDialect _dialect;

    public SqlTimerStore(WaymarkDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _dialect = TimerDialect.For(database.Provider);
    }

    public async Task<IReadOnlyList<TimerEntry>> DueAsync(
        int shard, DateTimeOffset upTo, int limit, TimerEntry? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shard, TimerEntry.MaxShard);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        _dialect.PrepareDue(command, shard, upTo, after, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<TimerEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(_dialect.ReadEntry(reader, shard));
        }

        return entries;
    }

    public async Task RemoveAsync(IReadOnlyCollection<TimerEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await _dialect.DeleteAsync(connection, entries, cancellationToken);
    }
}
