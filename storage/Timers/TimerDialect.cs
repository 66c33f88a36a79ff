using System.Data;
using System.Data.Common;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>How one database writes and deletes <c>waymark_timers</c> rows in bulk, and through <see cref="Values"/>
/// its time type and row limit. The due-range query is shared.</summary>
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

    /// <summary>Inserts the timers in the connection's open transaction, skipping any whose key is stored already or
    /// repeated among them. Never fails on a duplicate, so it cannot fail the append it rides with.</summary>
    public abstract Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<TimerEntry> timers);

    /// <summary>Deletes the timers with one statement, or one transaction, on an open connection.</summary>
    public abstract Task DeleteAsync(DbConnection connection, IReadOnlyCollection<TimerEntry> timers, CancellationToken cancellationToken);

    /// <summary>Selects due, target and tag: every row read has the shard asked for.</summary>
    public void PrepareDue(DbCommand command, int shard, DateTimeOffset upTo, TimerEntry? after, int limit)
    {
        // The cursor's first condition bounds the key range scan; the second skips ties on due up to the cursor.
        var cursor = after is null ? ""
            : " AND due >= @after_due AND (due > @after_due OR target > @after_target OR (target = @after_target AND tag > @after_tag))";
        command.CommandText = $"""
            SELECT {Values.Top("@limit")}due, target, tag FROM {Table}
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

    public TimerEntry ReadEntry(DbDataReader reader, int shard) => new(shard, Values.GetTime(reader, 0), reader.GetString(1), reader.GetString(2));
}
