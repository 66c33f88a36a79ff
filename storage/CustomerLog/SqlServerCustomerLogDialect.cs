using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Waymark.Storage.Sql;

namespace Waymark.Storage.CustomerLog;

/// <summary>
/// A batch goes as one table-valued parameter of the <c>waymark_customer_log_entries</c> type into one INSERT:
/// a single round trip, where SqlBulkCopy first asks the server for the table's metadata on every call, and a
/// plain statement whose key violation fails only that statement (without XACT_ABORT), so a savepoint holds.
/// </summary>
internal sealed class SqlServerCustomerLogDialect() : CustomerLogDialect(new SqlServerValues())
{
    internal const string InsertSql = $"INSERT INTO {Table} ({Columns}) SELECT {Columns} FROM @entries;";

    private const string EntriesType = "waymark_customer_log_entries";

    // The column types of the table type, in its column order.
    private static readonly SqlMetaData[] EntryColumns =
    [
        new("workspace", SqlDbType.NVarChar, LogEntry.MaxWorkspaceLength),
        new("customer_key", SqlDbType.NVarChar, LogEntry.MaxCustomerKeyLength),
        new("seq", SqlDbType.BigInt),
        new("kind", SqlDbType.NVarChar, LogEntry.MaxKindLength),
        new("at", SqlDbType.DateTime2, 0, 6),
        new("recorded_at", SqlDbType.DateTime2, 0, 6),
        new("name", SqlDbType.NVarChar, LogEntry.MaxNameLength),
        new("payload", SqlDbType.NVarChar, SqlMetaData.Max),
    ];

    // Violation of a PRIMARY KEY constraint; of a unique index.
    private const int PrimaryKeyViolation = 2627;
    private const int UniqueIndexViolation = 2601;

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LogEntry> entries)
    {
        await using var command = new SqlCommand(InsertSql, (SqlConnection)connection, (SqlTransaction)transaction);
        command.Parameters.Add(new SqlParameter("@entries", SqlDbType.Structured) { TypeName = EntriesType, Value = Records(entries) });
        await command.ExecuteNonQueryAsync();
    }

    public override bool IsDuplicateKey(DbException exception) =>
        exception is SqlException { Number: PrimaryKeyViolation or UniqueIndexViolation };

    /// <summary>The rows of the table-valued parameter, streamed through one reused record as SqlClient expects.</summary>
    internal static IEnumerable<SqlDataRecord> Records(IReadOnlyList<LogEntry> entries)
    {
        var record = new SqlDataRecord(EntryColumns);
        foreach (var entry in entries)
        {
            record.SetString(0, entry.Workspace);
            record.SetString(1, entry.CustomerKey);
            record.SetInt64(2, entry.Seq);
            record.SetString(3, entry.Kind);
            record.SetDateTime(4, SqlServerValues.Utc(entry.At));
            record.SetDateTime(5, SqlServerValues.Utc(entry.RecordedAt));
            if (entry.Name is null)
            {
                record.SetDBNull(6);
            }
            else
            {
                record.SetString(6, entry.Name);
            }

            record.SetString(7, entry.Payload);
            yield return record;
        }
    }
}
