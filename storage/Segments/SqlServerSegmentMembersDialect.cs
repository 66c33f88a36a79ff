using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Segments;

/// <summary>
/// A batch goes as one table-valued parameter of the <c>waymark_segment_member_keys</c> type into one statement, as
/// the customer log's entries do. The insert skips keys that exist under UPDLOCK and HOLDLOCK, which hold the key (or
/// the gap where it would go) to the end of the transaction, so a concurrent insert of the same key waits instead of
/// failing, as the timer wheel's does.
/// </summary>
internal sealed class SqlServerSegmentMembersDialect() : SegmentMembersDialect(new SqlServerValues())
{
    internal const string InsertSql = $"""
        INSERT INTO {Table} ({Columns})
        SELECT s.workspace, s.segment, s.customer_key FROM @members AS s
        WHERE NOT EXISTS (
            SELECT 1 FROM {Table} AS m WITH (UPDLOCK, HOLDLOCK)
            WHERE m.workspace = s.workspace AND m.segment = s.segment AND m.customer_key = s.customer_key);
        """;

    internal const string DeleteSql = $"""
        DELETE m FROM {Table} AS m
        INNER JOIN @members AS d ON m.workspace = d.workspace AND m.segment = d.segment AND m.customer_key = d.customer_key;
        """;

    private const string MembersType = "waymark_segment_member_keys";

    // The column types of the table type, in its column order.
    private static readonly SqlMetaData[] MemberColumns =
    [
        new("workspace", SqlDbType.NVarChar, LogEntry.MaxWorkspaceLength),
        new("segment", SqlDbType.NVarChar, MembershipChange.MaxSegmentLength),
        new("customer_key", SqlDbType.NVarChar, LogEntry.MaxCustomerKeyLength),
    ];

    protected override Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members) =>
        ExecuteAsync(InsertSql, connection, transaction, members);

    protected override Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members) =>
        ExecuteAsync(DeleteSql, connection, transaction, members);

    /// <summary>The rows of the table-valued parameter, streamed through one reused record as SqlClient expects.</summary>
    internal static IEnumerable<SqlDataRecord> Records(IEnumerable<MembershipChange> members)
    {
        var record = new SqlDataRecord(MemberColumns);
        foreach (var member in members)
        {
            record.SetString(0, member.Workspace);
            record.SetString(1, member.Segment);
            record.SetString(2, member.CustomerKey);
            yield return record;
        }
    }

    private static async Task ExecuteAsync(string sql, DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members)
    {
        await using var command = new SqlCommand(sql, (SqlConnection)connection, (SqlTransaction)transaction);
        command.Parameters.Add(new SqlParameter("@members", SqlDbType.Structured) { TypeName = MembersType, Value = Records(members) });
        await command.ExecuteNonQueryAsync();
    }
}
