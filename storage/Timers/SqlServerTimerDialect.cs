using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>
/// A batch goes as one table-valued parameter of the <c>waymark_timer_entries</c> type into one statement, as the
/// customer log's entries do. The insert skips keys that exist under UPDLOCK and HOLDLOCK, which hold the key (or the
/// gap where it would go) to the end of the transaction, so a concurrent insert of the same key waits instead of
/// failing; DISTINCT drops a key repeated within the batch.
/// </summary>
internal sealed class SqlServerTimerDialect() : TimerDialect(new SqlServerValues())
{
    internal const string InsertSql = $"""
        INSERT INTO {Table} ({Columns})
        SELECT DISTINCT s.shard, s.due, s.target, s.tag FROM @timers AS s
        WHERE NOT EXISTS (
            SELECT 1 FROM {Table} AS t WITH (UPDLOCK, HOLDLOCK)
            WHERE t.shard = s.shard AND t.due = s.due AND t.target = s.target AND t.tag = s.tag);
        """;

    internal const string DeleteSql = $"""
        DELETE t FROM {Table} AS t
        INNER JOIN @timers AS d ON t.shard = d.shard AND t.due = d.due AND t.target = d.target AND t.tag = d.tag;
        """;

    private const string TimersType = "waymark_timer_entries";

    // The column types of the table type, in its column order.
    private static readonly SqlMetaData[] TimerColumns =
    [
        new("shard", SqlDbType.SmallInt),
        new("due", SqlDbType.DateTime2, 0, 6),
        new("target", SqlDbType.NVarChar, TimerEntry.MaxTargetLength),
        new("tag", SqlDbType.NVarChar, TimerEntry.MaxTagLength),
    ];

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers)
    {
        await using var command = Command(InsertSql, connection, timers);
        command.Transaction = (SqlTransaction)transaction;
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken)
    {
        await using var command = Command(DeleteSql, connection, timers);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The rows of the table-valued parameter, streamed through one reused record as SqlClient expects.</summary>
    internal static IEnumerable<SqlDataRecord> Records(IEnumerable<TimerEntry> timers)
    {
        var record = new SqlDataRecord(TimerColumns);
        foreach (var timer in timers)
        {
            record.SetInt16(0, (short)timer.Shard);
            record.SetDateTime(1, SqlServerValues.Utc(timer.Due));
            record.SetString(2, timer.Target);
            record.SetString(3, timer.Tag);
            yield return record;
        }
    }

    private static SqlCommand Command(string sql, DbConnection connection, IReadOnlyCollection<TimerEntry> timers)
    {
        var command = new SqlCommand(sql, (SqlConnection)connection);
        command.Parameters.Add(new SqlParameter("@timers", SqlDbType.Structured) { TypeName = TimersType, Value = Records(timers) });
        return command;
    }
}
