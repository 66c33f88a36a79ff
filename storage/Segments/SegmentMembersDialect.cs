using System.Data;
using System.Data.Common;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Segments;

/// <summary>How one database writes <c>waymark_segment_members</c> rows in bulk in the customer log's transaction,
/// and through <see cref="Values"/> its row limit and count. The reads and deletions are shared.</summary>
internal abstract class SegmentMembersDialect(SqlValues values)
{
    public const string Table = "waymark_segment_members";
    public const string Columns = "workspace, segment, customer_key";

    public static SegmentMembersDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new SqliteSegmentMembersDialect(),
        StorageProvider.Postgres => new PostgresSegmentMembersDialect(),
        StorageProvider.SqlServer => new SqlServerSegmentMembersDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    protected SqlValues Values { get; } = values;

    /// <summary>Applies the changes in the connection's open transaction: inserts the keys of those with
    /// <see cref="MembershipChange.Member"/> that are not there, deletes the others' rows. <paramref name="changes"/>
    /// names each key once (<see cref="MembershipChange.LastWins"/>), so the order of the two statements does not
    /// matter. Never fails on a key, so it cannot fail the append it rides with.</summary>
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> changes)
    {
        // Each statement only when it has rows: SQL Server refuses an empty table-valued parameter.
        var added = changes.Where(change => change.Member).ToList();
        if (added.Count > 0)
        {
            await InsertAsync(connection, transaction, added);
        }

        var removed = changes.Where(change => !change.Member).ToList();
        if (removed.Count > 0)
        {
            await DeleteAsync(connection, transaction, removed);
        }
    }

    /// <summary>Inserts the rows of <paramref name="members"/> (each key once) that are not there yet.</summary>
    protected abstract Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members);

    /// <summary>Deletes the rows of <paramref name="members"/> that are there.</summary>
    protected abstract Task DeleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<MembershipChange> members);

    /// <summary>A range of the primary key (workspace, segment, customer_key), read in its order.</summary>
    public void PreparePage(DbCommand command, string workspace, string segment, string? afterKey, int limit)
    {
        command.CommandText = $"""
            SELECT {Values.Top("@limit")}customer_key FROM {Table}
            WHERE workspace = @workspace AND segment = @segment{(afterKey is null ? "" : " AND customer_key > @after_key")}
            ORDER BY customer_key{Values.Limit("@limit")}
            """;
        Values.AddText(command, "@workspace", workspace);
        Values.AddText(command, "@segment", segment);
        if (afterKey is not null)
        {
            Values.AddText(command, "@after_key", afterKey);
        }

        SqlValues.Add(command, "@limit", limit, DbType.Int32);
    }

    public void PrepareCount(DbCommand command, string workspace, string segment)
    {
        command.CommandText = $"SELECT {Values.CountRows} FROM {Table} WHERE workspace = @workspace AND segment = @segment";
        Values.AddText(command, "@workspace", workspace);
        Values.AddText(command, "@segment", segment);
    }

    /// <summary>Deletes the first <paramref name="limit"/> rows of the segment by key (more if rows are added among them
    /// meanwhile): the last of their keys is read once, and the rows up to it are a range of the primary key. Matching
    /// the keys themselves (<c>customer_key IN (SELECT ...)</c>) may be planned as a scan of the segment per key.</summary>
    public void PrepareDeleteSegment(DbCommand command, string workspace, string segment, int limit)
    {
        // With no rows the last key is null, which matches none.
        command.CommandText = $"""
            DELETE FROM {Table}
            WHERE workspace = @workspace AND segment = @segment AND customer_key <= (
                SELECT MAX(customer_key) FROM (
                    SELECT {Values.Top("@limit")}customer_key FROM {Table}
                    WHERE workspace = @workspace AND segment = @segment
                    ORDER BY customer_key{Values.Limit("@limit")}) AS batch)
            """;
        Values.AddText(command, "@workspace", workspace);
        Values.AddText(command, "@segment", segment);
        SqlValues.Add(command, "@limit", limit, DbType.Int32);
    }

    /// <summary>Deletes the keys' rows of every segment, found through the (workspace, customer_key) index.</summary>
    public void PrepareErase(DbCommand command, string workspace, IReadOnlyCollection<string> customerKeys)
    {
        command.CommandText = $"DELETE FROM {Table} WHERE workspace = @workspace AND customer_key IN ({Values.AddTexts(command, "@key", customerKeys)})";
        Values.AddText(command, "@workspace", workspace);
    }
}
