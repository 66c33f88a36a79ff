using System.Data.Common;
using Microsoft.Data.Sqlite;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Segments;

/// <summary>One prepared statement executed per row, as the customer log writes on SQLite: in this process a row costs
/// no round trip, and the log's transaction gives one journal sync for all of them.</summary>
internal sealed class SqliteSegmentMembersDialect() : SegmentMembersDialect(new SqliteValues())
{
    internal const string InsertSql = $"INSERT INTO {Table} ({Columns}) VALUES (@workspace, @segment, @customer_key) ON CONFLICT DO NOTHING";

    internal const string DeleteSql = $"DELETE FROM {Table} WHERE workspace = @workspace AND segment = @segment AND customer_key = @customer_key";

    protected override Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members)
    {
        ExecuteEach((SqliteConnection)connection, (SqliteTransaction)transaction, InsertSql, members);
        return Task.CompletedTask;
    }

    protected override Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members)
    {
        ExecuteEach((SqliteConnection)connection, (SqliteTransaction)transaction, DeleteSql, members);
        return Task.CompletedTask;
    }

    // Synchronously: Microsoft.Data.Sqlite's async methods run synchronously anyway.
    private static void ExecuteEach(SqliteConnection connection, SqliteTransaction transaction, string sql, IReadOnlyList<MembershipChange> members)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var workspace = command.Parameters.Add("@workspace", SqliteType.Text);
        var segment = command.Parameters.Add("@segment", SqliteType.Text);
        var customerKey = command.Parameters.Add("@customer_key", SqliteType.Text);
        command.Prepare();
        foreach (var member in members)
        {
            workspace.Value = member.Workspace;
            segment.Value = member.Segment;
            customerKey.Value = member.CustomerKey;
            command.ExecuteNonQuery();
        }
    }
}
