using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Waymark.Storage.Sql;

namespace Waymark.Storage.CustomerLog;

/// <summary>How one database writes and reads <c>waymark_customer_log</c>: its bulk insert, and through
/// <see cref="Values"/> its time type and row limit. The statements themselves are shared.</summary>
internal abstract class CustomerLogDialect(SqlValues values)
{
    public const string Table = "waymark_customer_log";
    public const string Columns = "workspace, customer_key, seq, kind, at, recorded_at, name, payload";

    public static CustomerLogDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new SqliteCustomerLogDialect(),
        StorageProvider.Postgres => new PostgresCustomerLogDialect(),
        StorageProvider.SqlServer => new SqlServerCustomerLogDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>Writes the entries in the connection's open transaction, the fastest way the database has. A key
    /// violation fails the statement only, so a savepoint taken before it can still be rolled back to.</summary>
    public abstract Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LogEntry> entries);

    /// <summary>The error of an insert whose (workspace, customer key, seq) is taken.</summary>
    public abstract bool IsDuplicateKey(DbException exception);

    protected SqlValues Values { get; } = values;

    /// <summary>The partial index of the customer registry, over the entries with seq 1.</summary>
    public const string CustomersIndex = "ix_waymark_customer_log_customers";

    /// <summary>What the registry's statements read from: the table, or (SQLite) the table with the index named.</summary>
    protected virtual string CustomersSource => Table;

    public LogEntry ReadEntry(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetString(3),
        Values.GetTime(reader, 4),
        Values.GetTime(reader, 5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetString(7));

    public void PrepareReadAfter(DbCommand command, string workspace, string customerKey, long afterSeq)
    {
        command.CommandText = $"""
            SELECT {Columns} FROM {Table}
            WHERE workspace = @workspace AND customer_key = @customer_key AND seq > @after_seq
            ORDER BY seq
            """;
        Values.AddText(command, "@workspace", workspace);
        Values.AddText(command, "@customer_key", customerKey);
        SqlValues.Add(command, "@after_seq", afterSeq, DbType.Int64);
    }

    /// <summary>
    /// One branch per key, each an ordered scan of the (workspace, customer_key, at, seq) index that stops after
    /// <paramref name="limit"/> rows, merged by the outer ORDER BY; a single <c>customer_key IN (...)</c> would sort
    /// every entry of every key to find the newest. The cursor is <c>at &lt;= @before_at</c>, which bounds the index
    /// scan, narrowed on ties by the rest of the timeline order.
    /// </summary>
    public void PrepareTimeline(
        DbCommand command, string workspace, IReadOnlyCollection<string> customerKeys, IReadOnlyCollection<string>? kinds, TimelineCursor? before, int limit)
    {
        var filter = new StringBuilder();
        if (kinds is not null)
        {
            filter.Append(CultureInfo.InvariantCulture, $" AND kind IN ({Values.AddTexts(command, "@kind", kinds)})");
        }

        if (before is not null)
        {
            filter.Append(
                " AND at <= @before_at AND (at < @before_at OR customer_key > @before_key OR (customer_key = @before_key AND seq < @before_seq))");
            Values.AddTime(command, "@before_at", before.At);
            Values.AddText(command, "@before_key", before.CustomerKey);
            SqlValues.Add(command, "@before_seq", before.Seq, DbType.Int64);
        }

        var branches = new List<string>(customerKeys.Count);
        // A key named twice would otherwise list its entries twice.
        foreach (var key in customerKeys.Distinct(StringComparer.Ordinal))
        {
            var keyParameter = $"@key{branches.Count}";
            Values.AddText(command, keyParameter, key);
            branches.Add($"""
                SELECT * FROM (
                    SELECT {Values.Top("@limit")}{Columns} FROM {Table}
                    WHERE workspace = @workspace AND customer_key = {keyParameter}{filter}
                    ORDER BY at DESC, seq DESC{Values.Limit("@limit")}) AS branch{branches.Count}
                """);
        }

        command.CommandText = $"""
            SELECT {Values.Top("@limit")}{Columns} FROM (
            {string.Join("\nUNION ALL\n", branches)}
            ) AS timeline
            ORDER BY at DESC, customer_key, seq DESC{Values.Limit("@limit")}
            """;
        Values.AddText(command, "@workspace", workspace);
        SqlValues.Add(command, "@limit", limit, DbType.Int32);
    }

    public void PrepareWindow(
        DbCommand command, string workspace, IReadOnlyCollection<string> customerKeys, string? name, DateTimeOffset from, DateTimeOffset to)
    {
        command.CommandText = $"""
            SELECT {Columns} FROM {Table}
            WHERE workspace = @workspace AND customer_key IN ({Values.AddTexts(command, "@key", customerKeys)})
              AND kind = '{LogEntry.EventKind}' AND at >= @from AND at < @to{(name is null ? "" : " AND name = @name")}
            ORDER BY at, customer_key, seq
            """;
        Values.AddText(command, "@workspace", workspace);
        Values.AddTime(command, "@from", from);
        Values.AddTime(command, "@to", to);
        if (name is not null)
        {
            Values.AddText(command, "@name", name);
        }
    }

    /// <summary>Served by the partial index on (workspace, name) of <c>message</c> entries, which a planner uses only
    /// when the statement's own kind is that literal, not a parameter.</summary>
    public void PrepareMessage(DbCommand command, string workspace, string messageId)
    {
        command.CommandText = $"""
            SELECT {Columns} FROM {Table}
            WHERE workspace = @workspace AND kind = '{LogEntry.MessageKind}' AND name = @name
            ORDER BY at, customer_key, seq
            """;
        Values.AddText(command, "@workspace", workspace);
        Values.AddText(command, "@name", messageId);
    }

    /// <summary>The customer registry: a range of the partial index on (workspace, customer_key) of the entries with
    /// seq 1, one per key ever written. Every database uses a partial index only when the statement's own predicate
    /// implies the index's, so seq is the literal 1, not a parameter.</summary>
    public void PrepareCustomers(DbCommand command, string workspace, string? afterKey, int limit)
    {
        command.CommandText = $"""
            SELECT {Values.Top("@limit")}customer_key FROM {CustomersSource}
            WHERE workspace = @workspace AND seq = 1{(afterKey is null ? "" : " AND customer_key > @after_key")}
            ORDER BY customer_key{Values.Limit("@limit")}
            """;
        Values.AddText(command, "@workspace", workspace);
        if (afterKey is not null)
        {
            Values.AddText(command, "@after_key", afterKey);
        }

        SqlValues.Add(command, "@limit", limit, DbType.Int32);
    }

    /// <summary>The number of keys in the customer registry, counted in its partial index.</summary>
    public void PrepareCountCustomers(DbCommand command, string workspace)
    {
        command.CommandText = $"SELECT {Values.CountRows} FROM {CustomersSource} WHERE workspace = @workspace AND seq = 1";
        Values.AddText(command, "@workspace", workspace);
    }

    public void PrepareErase(DbCommand command, string workspace, IReadOnlyCollection<string> customerKeys)
    {
        command.CommandText = $"DELETE FROM {Table} WHERE workspace = @workspace AND customer_key IN ({Values.AddTexts(command, "@key", customerKeys)})";
        Values.AddText(command, "@workspace", workspace);
    }
}
