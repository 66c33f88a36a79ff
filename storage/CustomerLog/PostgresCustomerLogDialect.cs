using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Waymark.Storage.Sql;

namespace Waymark.Storage.CustomerLog;

/// <summary>Binary COPY: one round trip streams the whole batch, with none of an INSERT's parsing or per-row
/// parameters, and it runs inside the caller's transaction like any statement.</summary>
internal sealed class PostgresCustomerLogDialect() : CustomerLogDialect(new PostgresValues())
{
    private const string Copy = $"COPY {Table} ({Columns}) FROM STDIN (FORMAT BINARY)";

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LogEntry> entries)
    {
        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(Copy);
        foreach (var entry in entries)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(entry.Workspace, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.CustomerKey, NpgsqlDbType.Text);
            await importer.WriteAsync(entry.Seq, NpgsqlDbType.Bigint);
            await importer.WriteAsync(entry.Kind, NpgsqlDbType.Text);
            await importer.WriteAsync(PostgresValues.Utc(entry.At), NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(PostgresValues.Utc(entry.RecordedAt), NpgsqlDbType.TimestampTz);
            if (entry.Name is null)
            {
                await importer.WriteNullAsync();
            }
            else
            {
                await importer.WriteAsync(entry.Name, NpgsqlDbType.Text);
            }

            await importer.WriteAsync(entry.Payload, NpgsqlDbType.Text);
        }

        await importer.CompleteAsync();
    }

    public override bool IsDuplicateKey(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
