using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Counts;

/// <summary>
/// Changes go as one table-valued parameter of the <c>waymark_count_delta_rows</c> type into one INSERT, as the
/// customer log's entries do. A flush is one batch in one transaction: it deletes the lowest ids it can lock, passing
/// over rows another flush holds (READPAST; rows of an uncommitted append are locked too, so they wait for a later
/// flush), keeps what it deleted in a table variable, and merges their sums into the totals under HOLDLOCK, so two
/// flushes creating the same total cannot both insert it. An error in either statement ends the batch (THROW; without
/// it the batch would go on after a failed statement and the flush would commit a deletion without its totals) and
/// reaches the caller, whose transaction then rolls back: a flush that fails, a deadlock victim included, moved
/// nothing. SET XACT_ABORT ON would do the same, but it is a setting of the session, of a pooled connection the
/// customer log may take next, and the log's savepoints need it off.
/// </summary>
internal sealed class SqlServerCountDialect() : CountDialect(new SqlServerValues())
{
    internal const string InsertSql = $"INSERT INTO {DeltasTable} ({DeltaColumns}) SELECT {DeltaColumns} FROM @counts;";

    internal const string FlushSql = $"""
        DECLARE @moved TABLE
        (
            workspace  NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
            journey_id NVARCHAR(64)  COLLATE Latin1_General_BIN2 NOT NULL,
            version    INT           NOT NULL,
            counter    NVARCHAR(200) COLLATE Latin1_General_BIN2 NOT NULL,
            bucket     DATETIME2(6)  NOT NULL,
            delta      BIGINT        NOT NULL
        );

        BEGIN TRY
        WITH batch AS (
            SELECT TOP (@limit) {TotalKey}, delta FROM {DeltasTable} WITH (ROWLOCK, READPAST)
            ORDER BY id)
        DELETE FROM batch
        OUTPUT deleted.workspace, deleted.journey_id, deleted.version, deleted.counter, deleted.bucket, deleted.delta
        INTO @moved ({TotalKey}, delta);

        MERGE {TotalsTable} WITH (HOLDLOCK) AS t
        USING (SELECT {TotalKey}, SUM(delta) AS value FROM @moved GROUP BY {TotalKey}) AS s
        ON t.workspace = s.workspace AND t.journey_id = s.journey_id AND t.version = s.version
            AND t.counter = s.counter AND t.bucket = s.bucket
        WHEN MATCHED THEN UPDATE SET value = t.value + s.value
        WHEN NOT MATCHED THEN INSERT ({TotalKey}, value) VALUES (s.workspace, s.journey_id, s.version, s.counter, s.bucket, s.value);
        END TRY
        BEGIN CATCH
            THROW;
        END CATCH;

        SELECT COUNT(*) FROM @moved;
        """;

    private const string CountsType = "waymark_count_delta_rows";

    // The column types of the table type, in its column order.
    private static readonly SqlMetaData[] CountColumns =
    [
        new("workspace", SqlDbType.NVarChar, LogEntry.MaxWorkspaceLength),
        new("journey_id", SqlDbType.NVarChar, CountDelta.MaxJourneyIdLength),
        new("version", SqlDbType.Int),
        new("bucket", SqlDbType.DateTime2, 0, 6),
        new("counter", SqlDbType.NVarChar, CountDelta.MaxCounterLength),
        new("delta", SqlDbType.BigInt),
    ];

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<CountDelta> counts)
    {
        await using var command = new SqlCommand(InsertSql, (SqlConnection)connection, (SqlTransaction)transaction);
        command.Parameters.Add(new SqlParameter("@counts", SqlDbType.Structured) { TypeName = CountsType, Value = Records(counts) });
        await command.ExecuteNonQueryAsync();
    }

    public override async Task<int> FlushAsync(DbConnection connection, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new SqlCommand(FlushSql, (SqlConnection)connection, transaction);
        command.Parameters.Add(new SqlParameter("@limit", SqlDbType.Int) { Value = limit });
        var moved = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <summary>The rows of the table-valued parameter, streamed through one reused record as SqlClient expects.</summary>
    internal static IEnumerable<SqlDataRecord> Records(IEnumerable<CountDelta> counts)
    {
        var record = new SqlDataRecord(CountColumns);
        foreach (var count in counts)
        {
            record.SetString(0, count.Workspace);
            record.SetString(1, count.JourneyId);
            record.SetInt32(2, count.Version);
            record.SetDateTime(3, SqlServerValues.Utc(CountDelta.BucketOf(count.At)));
            record.SetString(4, count.Counter);
            record.SetInt64(5, count.Delta);
            yield return record;
        }
    }
}
