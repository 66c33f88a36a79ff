using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Counts;

/// <summary>
/// Changes go in by binary COPY, as the customer log's entries do: they have no key to skip. A flush is one
/// statement, so one transaction: it deletes the rows it locked, adds what the deletion returned to the totals, and
/// counts it. FOR UPDATE SKIP LOCKED passes over rows another flush holds, so concurrent flushes take disjoint rows
/// and none waits on another; rows of an append not yet committed are invisible to it. Ids are assigned when a row is
/// inserted, not when it commits, so a flush never assumes that the ids below the last it saw are all visible: it
/// deletes exactly the rows it locked.
/// </summary>
internal sealed class PostgresCountDialect() : CountDialect(new PostgresValues())
{
    private const string Copy = $"COPY {DeltasTable} ({DeltaColumns}) FROM STDIN (FORMAT BINARY)";

    // The totals are upserted in key order, so two flushes that touch the same totals lock them in the same order
    // and cannot deadlock. A data-modifying WITH runs to completion whether or not the final SELECT reads it.
    internal const string FlushSql = $"""
        WITH moved AS (
            DELETE FROM {DeltasTable}
            WHERE id IN (SELECT id FROM {DeltasTable} ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING {TotalKey}, delta),
        added AS (
            INSERT INTO {TotalsTable} ({TotalKey}, value)
            SELECT {TotalKey}, SUM(delta) FROM moved
            GROUP BY {TotalKey}
            ORDER BY {TotalKey}
            ON CONFLICT ({TotalKey}) DO UPDATE SET value = {TotalsTable}.value + EXCLUDED.value)
        SELECT count(*) FROM moved
        """;

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CountDelta> counts)
    {
        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(Copy);
        foreach (var count in counts)
        {
            await importer.StartRowAsync();
            await importer.WriteAsync(count.Workspace, NpgsqlDbType.Text);
            await importer.WriteAsync(count.JourneyId, NpgsqlDbType.Text);
            await importer.WriteAsync(count.Version, NpgsqlDbType.Integer);
            await importer.WriteAsync(PostgresValues.Utc(CountDelta.BucketOf(count.At)), NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(count.Counter, NpgsqlDbType.Text);
            await importer.WriteAsync(count.Delta, NpgsqlDbType.Bigint);
        }

        await importer.CompleteAsync();
    }

    public override async Task<int> FlushAsync(DbConnection connection, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(FlushSql, (NpgsqlConnection)connection);
        SqlValues.Add(command, "@limit", limit, DbType.Int32);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
