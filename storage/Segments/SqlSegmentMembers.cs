namespace Waymark.Storage.Segments;

/// <summary>Segment membership in <c>waymark_segment_members</c>, on the node's database. Its rows are written by the
/// customer log's append; this reads them and deletes a segment's.</summary>
public sealed class SqlSegmentMembers : ISegmentMembers
{
    /// <summary>The most keys one page may ask for: a page is read into memory whole.</summary>
    public const int MaxPageLimit = 10_000;

    // A deletion holds the locks of its rows (on SQLite, the database's write lock, which the customer log's appends
    // wait for) until it commits: a segment is deleted this many rows per transaction.
    internal const int DeleteBatch = 10_000;

    private readonly WaymarkDatabase _database;
    private readonly SegmentMembersDialect _dialect;

    public SqlSegmentMembers(WaymarkDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _dialect = SegmentMembersDialect.For(database.Provider);
    }

    public async Task<IReadOnlyList<string>> PageAsync(string workspace, string segment, string? afterKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageLimit);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        _dialect.PreparePage(command, workspace, segment, afterKey, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task<long> CountAsync(string workspace, string segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(segment);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        _dialect.PrepareCount(command, workspace, segment);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DeleteSegmentAsync(string workspace, string segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(segment);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        int deleted;
        do
        {
            // Each statement commits on its own.
            await using var command = connection.CreateCommand();
            _dialect.PrepareDeleteSegment(command, workspace, segment, DeleteBatch);
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        while (deleted >= DeleteBatch);
    }
}
