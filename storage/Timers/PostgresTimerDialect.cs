using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>A batch goes as four array parameters, one per column, unnested into rows by one statement: a single
/// round trip whatever the batch size. COPY, which the customer log uses, cannot skip existing keys.</summary>
internal sealed class PostgresTimerDialect() : TimerDialect(new PostgresValues())
{
    private const string Rows = "unnest(@shards, @dues, @targets, @tags)";

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers)
    {
        await using var command = Command(connection, $"INSERT INTO {Table} ({Columns}) SELECT * FROM {Rows} ON CONFLICT DO NOTHING", timers);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"""
            DELETE FROM {Table} AS t USING {Rows} AS d (shard, due, target, tag)
            WHERE t.shard = d.shard AND t.due = d.due AND t.target = d.target AND t.tag = d.tag
            """, timers);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A statement outside an explicit transaction is one of its own; inside, Npgsql enlists it in the open one.
    private static NpgsqlCommand Command(DbConnection connection, string sql, IReadOnlyCollection<TimerEntry> timers)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)connection);
        command.Parameters.Add(new NpgsqlParameter<short[]>("shards", NpgsqlDbType.Array | NpgsqlDbType.Smallint)
        {
            TypedValue = [.. timers.Select(t => (short)t.Shard)],
        });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("dues", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = [.. timers.Select(t => PostgresValues.Utc(t.Due))],
        });
        command.Parameters.Add(new NpgsqlParameter<string[]>("targets", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. timers.Select(t => t.Target)],
        });
        command.Parameters.Add(new NpgsqlParameter<string[]>("tags", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            TypedValue = [.. timers.Select(t => t.Tag)],
        });
        return command;
    }
}
