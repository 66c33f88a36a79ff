using System.Data.Common;
using Microsoft.Data.Sqlite;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Counts;

/// <summary>One prepared statement executed per row, as the customer log inserts on SQLite. A flush is one write
/// transaction: SQLite has a single writer, so once the flush holds the write lock no append commits until it ends,
/// and the first rows by id are exactly the rows it adds up and then deletes.</summary>
internal sealed class SqliteCountDialect() : CountDialect(new SqliteValues())
{
    // The highest id among the first @limit pending rows; null when none are pending, which matches no row.
    private const string LastId = $"(SELECT MAX(id) FROM (SELECT id FROM {DeltasTable} ORDER BY id LIMIT @limit))";

    // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
    internal const string AddSql = $"""
        INSERT INTO {TotalsTable} ({TotalKey}, value)
        SELECT {TotalKey}, SUM(delta) FROM {DeltasTable}
        WHERE id <= {LastId}
        GROUP BY {TotalKey}
        ON CONFLICT ({TotalKey}) DO UPDATE SET value = value + excluded.value
        """;

    internal const string DeleteSql = $"DELETE FROM {DeltasTable} WHERE id <= {LastId}";

    public override Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CountDelta> counts)
    {
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO {DeltasTable} ({DeltaColumns}) VALUES (@workspace, @journey_id, @version, @bucket, @counter, @delta)";
        var workspace = command.Parameters.Add("@workspace", SqliteType.Text);
        var journeyId = command.Parameters.Add("@journey_id", SqliteType.Text);
        var version = command.Parameters.Add("@version", SqliteType.Integer);
        var bucket = command.Parameters.Add("@bucket", SqliteType.Integer);
        var counter = command.Parameters.Add("@counter", SqliteType.Text);
        var delta = command.Parameters.Add("@delta", SqliteType.Integer);
        command.Prepare();

        // Synchronously: Microsoft.Data.Sqlite's async methods run synchronously anyway.
        foreach (var count in counts)
        {
            workspace.Value = count.Workspace;
            journeyId.Value = count.JourneyId;
            version.Value = count.Version;
            bucket.Value = SqliteValues.UnixMicroseconds(CountDelta.BucketOf(count.At));
            counter.Value = count.Counter;
            delta.Value = count.Delta;
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public override Task<int> FlushAsync(DbConnection connection, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // BEGIN IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before anything is read. The first
        // statement writes anyway, so even a deferred transaction would read nothing before it held the lock.
        using var transaction = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.Add("@limit", SqliteType.Integer).Value = limit;
        command.CommandText = AddSql;
        command.ExecuteNonQuery();
        command.CommandText = DeleteSql;
        var moved = command.ExecuteNonQuery();
        transaction.Commit();
        return Task.FromResult(moved);
    }
}
