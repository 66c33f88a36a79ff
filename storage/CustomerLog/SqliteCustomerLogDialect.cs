using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Waymark.Storage.Sql;

namespace Waymark.Storage.CustomerLog;

/// <summary>SQLite runs in this process, so one prepared INSERT executed per row costs no round trips; the
/// transaction is what makes a batch cheap, with one journal sync for all of it.</summary>
internal sealed class SqliteCustomerLogDialect() : CustomerLogDialect(new SqliteValues())
{
    // SQLITE_CONSTRAINT_PRIMARYKEY.
    private const int PrimaryKeyViolation = 1555;

    public override Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<LogEntry> entries)
    {
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"""
            INSERT INTO {Table} ({Columns})
            VALUES (@workspace, @customer_key, @seq, @kind, @at, @recorded_at, @name, @payload)
            """;
        var workspace = command.Parameters.Add("@workspace", SqliteType.Text);
        var customerKey = command.Parameters.Add("@customer_key", SqliteType.Text);
        var seq = command.Parameters.Add("@seq", SqliteType.Integer);
        var kind = command.Parameters.Add("@kind", SqliteType.Text);
        var at = command.Parameters.Add("@at", SqliteType.Integer);
        var recordedAt = command.Parameters.Add("@recorded_at", SqliteType.Integer);
        var name = command.Parameters.Add("@name", SqliteType.Text);
        var payload = command.Parameters.Add("@payload", SqliteType.Text);
        command.Prepare();

        // Synchronously: Microsoft.Data.Sqlite's async methods run synchronously anyway.
        foreach (var entry in entries)
        {
            workspace.Value = entry.Workspace;
            customerKey.Value = entry.CustomerKey;
            seq.Value = entry.Seq;
            kind.Value = entry.Kind;
            at.Value = SqliteValues.UnixMicroseconds(entry.At);
            recordedAt.Value = SqliteValues.UnixMicroseconds(entry.RecordedAt);
            name.Value = (object?)entry.Name ?? DBNull.Value;
            payload.Value = entry.Payload;
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public override bool IsDuplicateKey(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: PrimaryKeyViolation };

    // Without statistics (nothing runs ANALYZE) the planner may take the (workspace, customer_key, at, seq) index, which
    // holds every entry; named, the partial index is used or the statement fails to prepare.
    protected override string CustomersSource => $"{Table} INDEXED BY {CustomersIndex}";
}
