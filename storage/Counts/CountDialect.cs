using System.Data;
using System.Data.Common;
using System.Text;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Counts;

/// <summary>How one database writes pending changes to <c>waymark_count_deltas</c> in bulk and flushes them into
/// <c>waymark_counts</c>, and through <see cref="Values"/> its time type. The read of the totals is shared.</summary>
internal abstract class CountDialect(SqlValues values)
{
    public const string DeltasTable = "waymark_count_deltas";
    public const string DeltaColumns = "workspace, journey_id, version, bucket, counter, delta";
    public const string TotalsTable = "waymark_counts";
    public const string TotalKey = "workspace, journey_id, version, counter, bucket";

    public static CountDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new SqliteCountDialect(),
        StorageProvider.Postgres => new PostgresCountDialect(),
        StorageProvider.SqlServer => new SqlServerCountDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected SqlValues Values { get; } = values;

    /// <summary>Inserts the changes in the connection's open transaction, each in the bucket of its time. Never fails
    /// on a key (every row gets a new id), so it cannot fail the append it rides with.</summary>
    public abstract Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CountDelta> counts);

    /// <summary>Moves up to <paramref name="limit"/> pending rows into the totals on an open connection, in a
    /// transaction of its own, and returns how many it moved.</summary>
    public abstract Task<int> FlushAsync(DbConnection connection, int limit, CancellationToken cancellationToken);

    public void PrepareRead(DbCommand command, string workspace, string journeyId, int? version, DateTimeOffset? from, DateTimeOffset? to)
    {
        var filter = new StringBuilder();
        if (version is { } v)
        {
            filter.Append(" AND version = @version");
            SqlValues.Add(command, "@version", v, DbType.Int32);
        }

        if (from is { } start)
        {
            filter.Append(" AND bucket >= @from");
            Values.AddTime(command, "@from", start);
        }

        if (to is { } end)
        {
            filter.Append(" AND bucket < @to");
            Values.AddTime(command, "@to", end);
        }

        command.CommandText = $"""
            SELECT version, bucket, counter, value FROM {TotalsTable}
            WHERE workspace = @workspace AND journey_id = @journey_id{filter}
            ORDER BY version, bucket, counter
            """;
        Values.AddText(command, "@workspace", workspace);
        Values.AddText(command, "@journey_id", journeyId);
    }

    public CountTotal ReadTotal(DbDataReader reader) => new(reader.GetInt32(0), Values.GetTime(reader, 1), reader.GetString(2), reader.GetInt64(3));
}
