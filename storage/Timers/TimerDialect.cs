using System.Data;
using System.Data.Common;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>How one database writes and deletes <c>waymark_timers</c> rows in bulk, and through <see cref="Values"/>
/// its time type and row limit. The due-range query, and dropping keys a batch repeats, are shared.</summary>
internal abstract class TimerDialect(SqlValues values)
{
    public const string Table = "waymark_timers";
    public const string Columns = "shard, due, target, tag";

    public static TimerDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new SqliteTimerDialect(),
        StorageProvider.Postgres => new PostgresTimerDialect(),
        StorageProvider.SqlServer => new SqlServerTimerDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected SqlValues Values { get; } = values;

    /// <summary>Schedules the timers in the connection's open transaction: a key not stored yet is inserted with
    /// generation 0, a key stored already keeps its row and gets one more generation, and a key repeated among them
    /// counts once. Never fails on a duplicate, so it cannot fail the append it rides with.</summary>
    public Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers) =>
        UpsertAsync(connection, transaction, Distinct(timers));

    /// <summary>Deletes the timers with one statement, or one transaction, on an open connection: each row only while
    /// its generation is the timer's <see cref="TimerEntry.Generation"/>.</summary>
    public abstract Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken);

    /// <summary>Inserts each timer, or adds one to the generation of its row if the key is stored: <paramref name="timers"/>
    /// names each key once, as PostgreSQL's ON CONFLICT DO UPDATE and SQL Server's MERGE require.</summary>
    protected abstract Task UpsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers);

    /// <summary>The timers with each stored key once, the first of those naming it: due compared as it is stored (UTC,
    /// to the microsecond), texts ordinally as the key's collation compares them. The list itself when no key repeats,
    /// as in nearly every batch.</summary>
    internal static IReadOnlyList<TimerEntry> Distinct(IReadOnlyList<TimerEntry> timers)
    {
        var keys = new HashSet<(int, long, string, string)>(timers.Count);
        List<TimerEntry>? distinct = null;
        for (var i = 0; i < timers.Count; i++)
        {
            var timer = timers[i];
            if (keys.Add((timer.Shard, SqlValues.UtcMicrosecondTicks(timer.Due), timer.Target, timer.Tag)))
            {
                distinct?.Add(timer);
            }
            else
            {
                distinct ??= [.. timers.Take(i)];
            }
        }

        return distinct ?? timers;
    }

    /// <summary>Selects due, target, tag and generation: every row read has the shard asked for.</summary>
    public void PrepareDue(DbCommand command, int shard, DateTimeOffset upTo, TimerEntry? after, int limit)
    {
        // The cursor's first condition bounds the key range scan; the second skips ties on due up to the cursor.
        var cursor = after is null ? ""
            : " AND due >= @after_due AND (due > @after_due OR target > @after_target OR (target = @after_target AND tag > @after_tag))";
        command.CommandText = $"""
            SELECT {Values.Top("@limit")}due, target, tag, generation FROM {Table}
            WHERE shard = @shard AND due <= @up_to{cursor}
            ORDER BY due, target, tag{Values.Limit("@limit")}
            """;
        SqlValues.Add(command, "@shard", (short)shard, DbType.Int16);
        Values.AddTime(command, "@up_to", upTo);
        if (after is not null)
        {
            Values.AddTime(command, "@after_due", after.Due);
            Values.AddText(command, "@after_target", after.Target);
            Values.AddText(command, "@after_tag", after.Tag);
        }

        SqlValues.Add(command, "@limit", limit, DbType.Int32);
    }

    public TimerEntry ReadEntry(DbDataReader reader, int shard) =>
        new(shard, Values.GetTime(reader, 0), reader.GetString(1), reader.GetString(2)) { Generation = reader.GetInt64(3) };
}
