using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>
/// A batch goes as one table-valued parameter into one statement, as the customer log's entries do:
/// <c>waymark_timer_entries</c> (the key) to schedule, <c>waymark_timer_stamps</c> (the key and the generation read)
/// to delete. Scheduling is one MERGE under HOLDLOCK: a stored key gets one more generation, a missing one is
/// inserted, and the serializable range locks hold each key (or the gap where it would go) to the end of the
/// transaction, so a concurrent scheduling of the same key waits and then counts as another generation instead of
/// failing on the primary key. DISTINCT drops a key repeated within the batch, which MERGE would refuse (the caller
/// drops them too). A delete reads each row under its update lock, so one waiting for a MERGE sees the generation it
/// committed, and leaves the row.
/// </summary>
internal sealed class SqlServerTimerDialect() : TimerDialect(new SqlServerValues())
{
    internal const string InsertSql = $"""
        MERGE {Table} WITH (HOLDLOCK) AS t
        USING (SELECT DISTINCT shard, due, target, tag FROM @timers) AS s
        ON t.shard = s.shard AND t.due = s.due AND t.target = s.target AND t.tag = s.tag
        WHEN MATCHED THEN UPDATE SET t.generation = t.generation + 1
        WHEN NOT MATCHED THEN INSERT ({Columns}) VALUES (s.shard, s.due, s.target, s.tag);
        """;

    internal const string DeleteSql = $"""
        DELETE t FROM {Table} AS t
        INNER JOIN @timers AS d
            ON t.shard = d.shard AND t.due = d.due AND t.target = d.target AND t.tag = d.tag AND t.generation = d.generation;
        """;

    private const string TimersType = "waymark_timer_entries";

    private const string StampsType = "waymark_timer_stamps";

    // The column types of the table types, in their column order.
    private static readonly SqlMetaData[] TimerColumns =
    [
        new("shard", SqlDbType.SmallInt),
        new("due", SqlDbType.DateTime2, 0, 6),
        new("target", SqlDbType.NVarChar, TimerEntry.MaxTargetLength),
        new("tag", SqlDbType.NVarChar, TimerEntry.MaxTagLength),
    ];

    private static readonly SqlMetaData[] StampColumns = [.. TimerColumns, new("generation", SqlDbType.BigInt)];

    protected override async Task UpsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers)
    {
        await using var command = Command(InsertSql, connection, TimersType, Records(timers));
        command.Transaction = (SqlTransaction)transaction;
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken)
    {
        await using var command = Command(DeleteSql, connection, StampsType, Records(timers, withGeneration: true));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows of the table-valued parameter, streamed through one reused record as SqlClient expects: the
    /// key of each timer, and its generation too for <c>waymark_timer_stamps</c>.</summary>
    internal static IEnumerable<SqlDataRecord> Records(IEnumerable<TimerEntry> timers, bool withGeneration = false)
    {
        var record = new SqlDataRecord(withGeneration ? StampColumns : TimerColumns);
        foreach (var timer in timers)
        {
            record.SetInt16(0, (short)timer.Shard);
            record.SetDateTime(1, SqlServerValues.Utc(timer.Due));
            record.SetString(2, timer.Target);
            record.SetString(3, timer.Tag);
            if (withGeneration)
            {
                record.SetInt64(4, timer.Generation);
            }

            yield return record;
        }
    }

    private static SqlCommand Command(string sql, DbConnection connection, string typeName, IEnumerable<SqlDataRecord> records)
    {
        var command = new SqlCommand(sql, (SqlConnection)connection);
        command.Parameters.Add(new SqlParameter("@timers", SqlDbType.Structured) { TypeName = typeName, Value = records });
        return command;
    }
}
