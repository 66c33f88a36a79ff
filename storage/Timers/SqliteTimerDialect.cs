using System.Data.Common;
using Microsoft.Data.Sqlite;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>One prepared statement executed per row, as the customer log inserts on SQLite: in this process a row
/// costs no round trip, and the transaction gives one journal sync for all of them. An insert meeting a stored key
/// adds one to its generation instead (ON CONFLICT DO UPDATE); SQLite's single writer orders it against deletes.</summary>
internal sealed class SqliteTimerDialect() : TimerDialect(new SqliteValues())
{
    internal const string InsertSql = $"""
        INSERT INTO {Table} ({Columns}) VALUES (@shard, @due, @target, @tag)
        ON CONFLICT (shard, due, target, tag) DO UPDATE SET generation = {Table}.generation + 1
        """;

    internal const string DeleteSql =
        $"DELETE FROM {Table} WHERE shard = @shard AND due = @due AND target = @target AND tag = @tag AND generation = @generation";

    protected override Task UpsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers)
    {
        ExecuteEach((SqliteConnection)connection, (SqliteTransaction)transaction, InsertSql, timers, withGeneration: false);
        return Task.CompletedTask;
    }

    public override async Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        ExecuteEach((SqliteConnection)connection, transaction, DeleteSql, timers, withGeneration: true);
        await transaction.CommitAsync(cancellationToken);
    }

    // Synchronously: Microsoft.Data.Sqlite's async methods run synchronously anyway. The key is always bound, the
    // generation when the statement compares it.
    private static void ExecuteEach(
        SqliteConnection connection, SqliteTransaction transaction, string sql, IEnumerable<TimerEntry> timers, bool withGeneration)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var shard = command.Parameters.Add("@shard", SqliteType.Integer);
        var due = command.Parameters.Add("@due", SqliteType.Integer);
        var target = command.Parameters.Add("@target", SqliteType.Text);
        var tag = command.Parameters.Add("@tag", SqliteType.Text);
        var generation = withGeneration ? command.Parameters.Add("@generation", SqliteType.Integer) : null;
        command.Prepare();
        foreach (var timer in timers)
        {
            shard.Value = timer.Shard;
            due.Value = SqliteValues.UnixMicroseconds(timer.Due);
            target.Value = timer.Target;
            tag.Value = timer.Tag;
            generation?.Value = timer.Generation;
            command.ExecuteNonQuery();
        }
    }
}
