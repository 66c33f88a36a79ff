using System.Data.Common;
using DbUp;
using DbUp.Builder;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Waymark.Storage;

/// <summary>Brings a database, empty or not, up to the schema this build needs: Orleans' tables and the
/// queries its ADO.NET providers load from <c>OrleansQuery</c>, then Waymark's own tables.</summary>
public static class SchemaMigrator
{
    private const string JournalTable = "waymark_schema_versions";

    // Any constant works as long as every node uses the same one: "Waymark" in ASCII.
    internal const long PostgresLockKey = 0x5761796D61726B;

    private const string SqlServerLockResource = "waymark_schema_migration";

    /// <summary>Runs the scripts the database has not run yet. Safe to call from several nodes at once:
    /// on the database servers they take turns, and the scripts themselves tolerate existing objects.</summary>
    public static async Task MigrateAsync(WaymarkDatabase database, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(logger);

        switch (database.Provider)
        {
            case StorageProvider.Sqlite:
                await UseWriteAheadLogAsync(database, cancellationToken);
                await UpgradeAsync(
                    DeployChanges.To.SqliteDatabase(database.ConnectionString).JournalToSqliteTable(JournalTable),
                    database.Provider, logger, cancellationToken);
                break;

            case StorageProvider.Postgres:
                await using (await PostgresLockAsync(database.ConnectionString, cancellationToken))
                {
                    await UpgradeAsync(
                        DeployChanges.To.PostgresqlDatabase(database.ConnectionString).JournalToPostgresqlTable(null, JournalTable),
                        database.Provider, logger, cancellationToken);
                }
                break;

            case StorageProvider.SqlServer:
                await using (await SqlServerLockAsync(database.ConnectionString, cancellationToken))
                {
                    await UpgradeAsync(
                        DeployChanges.To.SqlDatabase(database.ConnectionString).JournalToSqlTable(null, JournalTable),
                        database.Provider, logger, cancellationToken);
                }
                break;

            default:
                throw new InvalidOperationException($"Unknown storage provider {database.Provider}.");
        }
    }

    private static async Task UpgradeAsync(UpgradeEngineBuilder builder, StorageProvider provider, ILogger logger, CancellationToken cancellationToken)
    {
        var upgrader = builder
            .WithScripts(SchemaScripts.For(provider))
            .WithTransactionPerScript()
            // The scripts hold PostgreSQL dollar quotes, which DbUp would otherwise take for $variables$.
            .WithVariablesDisabled()
            .LogTo(logger)
            .Build();

        // DbUp only runs synchronously. It gets a thread of its own so that a long migration does not hold one of
        // the thread pool's few workers while the host starts.
        var result = await Task.Factory.StartNew(upgrader.PerformUpgrade, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Schema migration failed in script {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        }
    }

    // Write-ahead logging lets Orleans' readers and the writer work at once. The mode is stored in the file, so
    // setting it once is enough; the synchronous level stays at SQLite's default, under which a commit is durable.
    private static async Task UseWriteAheadLogAsync(WaymarkDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused write-ahead logging for {database.SqliteFilePath} (journal mode is '{mode}').");
        }
    }

    // A session-level advisory lock, held on a connection of its own for the whole run and released when it
    // closes. Pooling is off so that closing really ends the session, even if the unlock below never runs.
    private static Task<HeldLock> PostgresLockAsync(string connectionString, CancellationToken cancellationToken) =>
        HeldLock.TakeAsync(
            new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString()),
            $"SELECT pg_advisory_lock({PostgresLockKey});",
            $"SELECT pg_advisory_unlock({PostgresLockKey});",
            cancellationToken);

    private static Task<HeldLock> SqlServerLockAsync(string connectionString, CancellationToken cancellationToken) =>
        HeldLock.TakeAsync(
            new SqlConnection(new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString()),
            $"""
            DECLARE @result INT;
            EXEC @result = sp_getapplock @Resource = N'{SqlServerLockResource}', @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
            IF @result < 0 THROW 50000, N'Could not take the schema migration lock.', 1;
            """,
            $"EXEC sp_releaseapplock @Resource = N'{SqlServerLockResource}', @LockOwner = N'Session';",
            cancellationToken);

    private sealed class HeldLock(DbConnection connection, string unlockSql) : IAsyncDisposable
    {
        public static async Task<HeldLock> TakeAsync(DbConnection connection, string lockSql, string unlockSql, CancellationToken cancellationToken)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = lockSql;
                // Wait as long as another node's migration takes; the cancellation token bounds the wait.
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken);
                return new HeldLock(connection, unlockSql);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = unlockSql;
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
