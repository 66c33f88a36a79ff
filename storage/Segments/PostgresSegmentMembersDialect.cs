using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Segments;

/// <summary>A batch goes as three array parameters, one per column, unnested into rows by one statement, as the timer
/// wheel's wake-ups do: a single round trip whatever the batch size, and unlike COPY an insert that skips existing keys.</summary>
internal sealed class PostgresSegmentMembersDialect() : SegmentMembersDialect(new PostgresValues())
{
    private const string Rows = "unnest(@workspaces, @segments, @customer_keys)";

    internal const string InsertSql = $"INSERT INTO {Table} ({Columns}) SELECT * FROM {Rows} ON CONFLICT DO NOTHING";

    internal const string DeleteSql = $"""
        DELETE FROM {Table} AS m USING {Rows} AS d (workspace, segment, customer_key)
        WHERE m.workspace = d.workspace AND m.segment = d.segment AND m.customer_key = d.customer_key
        """;

    protected override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members)
    {
        await using var command = Command(InsertSql, connection, members);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members)
    {
        await using var command = Command(DeleteSql, connection, members);
        await command.ExecuteNonQueryAsync();
    }

    // Npgsql enlists a command in the connection's open transaction.
    private static NpgsqlCommand Command(string sql, DbConnection connection, IReadOnlyList<MembershipChange> members)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("workspaces", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. members.Select(m => m.Workspace)],
        });
        command.Parameters.Add(new NpgsqlParameter<string[]>("segments", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. members.Select(m => m.Segment)],
        });
        command.Parameters.Add(new NpgsqlParameter<string[]>("customer_keys", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. members.Select(m => m.CustomerKey)],
        });
        return command;
    }
}
