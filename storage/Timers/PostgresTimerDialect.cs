using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>A batch goes as array parameters, one per column, unnested into rows by one statement: a single round
/// trip whatever the batch size. COPY, which the customer log uses, cannot handle keys that exist. An insert meeting a
/// stored key adds one to its generation instead (ON CONFLICT DO UPDATE, which takes the row's lock, so concurrent
/// schedulings of one key each count); a delete waiting for that lock sees the new generation once it is released,
/// and leaves the row.</summary>
internal sealed class PostgresTimerDialect() : TimerDialect(new PostgresValues())
{
    private const string Rows = "unnest(@shards, @dues, @targets, @tags)";

    internal const string InsertSql = $"""
        INSERT INTO {Table} ({Columns}) SELECT * FROM {Rows}
        ON CONFLICT (shard, due, target, tag) DO UPDATE SET generation = {Table}.generation + 1
        """;

    internal const string DeleteSql = $"""
        DELETE FROM {Table} AS t USING unnest(@shards, @dues, @targets, @tags, @generations) AS d (shard, due, target, tag, generation)
        WHERE t.shard = d.shard AND t.due = d.due AND t.target = d.target AND t.tag = d.tag AND t.generation = d.generation
        """;

    protected override async Task UpsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers)
    {
        await using var command = Command(connection, InsertSql, timers);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, DeleteSql, timers);
        command.Parameters.Add(new NpgsqlParameter<long[]>("generations", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
        {
            TypedValue = [.. timers.Select(t => t.Generation)],
        });
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
