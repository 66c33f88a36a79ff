using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteSchemaMigrationTests(SqliteTestDatabase test) : SchemaMigrationTests<SqliteTestDatabase>(test)
{
    protected override string TablesSql => "SELECT name FROM sqlite_master WHERE type = 'table'";

    protected override string SchemaSql => "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name";

    [Fact]
    public async Task Migration_switches_the_file_to_write_ahead_logging()
    {
        await MigrateAsync();

        // A new connection sees the mode, because SQLite keeps it in the file.
        Assert.Equal(["wal"], await Database.ReadRowsAsync("PRAGMA journal_mode"));
    }
}

public sealed class PostgresSchemaMigrationTests(PostgresTestDatabase test) : SchemaMigrationTests<PostgresTestDatabase>(test)
{
    protected override string TablesSql => "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";

    protected override string SchemaSql => """
        SELECT table_name, column_name, data_type, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = current_schema()
        UNION ALL
        SELECT tablename, indexname, indexdef, '', '' FROM pg_indexes WHERE schemaname = current_schema()
        ORDER BY 1, 2
        """;

    [Fact]
    public async Task Migration_waits_while_another_node_holds_the_migration_lock()
    {
        await using var otherNode = (NpgsqlConnection)Database.CreateConnection();
        await otherNode.OpenAsync();
        await ExecuteAsync(otherNode, $"SELECT pg_advisory_lock({SchemaMigrator.PostgresLockKey})");

        var migration = MigrateAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var finishedWhileLocked = migration.IsCompleted;
        await ExecuteAsync(otherNode, $"SELECT pg_advisory_unlock({SchemaMigrator.PostgresLockKey})");

        Assert.False(finishedWhileLocked);
        await migration.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Concurrent_migrations_of_an_empty_database_both_succeed_and_run_each_script_once()
    {
        var empty = new PostgresTestDatabase();
        await empty.InitializeAsync();
        try
        {
            await Task.WhenAll(
                SchemaMigrator.MigrateAsync(empty.Database, NullLogger.Instance, CancellationToken.None),
                SchemaMigrator.MigrateAsync(empty.Database, NullLogger.Instance, CancellationToken.None));

            var journal = await empty.Database.ReadRowsAsync("SELECT scriptname FROM waymark_schema_versions ORDER BY scriptname");
            Assert.Equal(SchemaScripts.For(StorageProvider.Postgres).Select(s => s.Name), journal);
            Assert.Equal(OrleansQueryKeys.All.Order(), await empty.Database.ReadRowsAsync("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey"));
        }
        finally
        {
            await empty.DisposeAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>What <see cref="SchemaMigrator"/> leaves behind in a database that started empty.</summary>
public abstract class SchemaMigrationTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>
    where TDatabase : class, ITestDatabase
{
    private static readonly string[] OrleansTables =
        ["OrleansQuery", "OrleansMembershipVersion", "OrleansMembership", "OrleansGrainState", "OrleansReminder"];

    protected WaymarkDatabase Database => test.Database;

    /// <summary>The names of the tables in the database's default schema.</summary>
    protected abstract string TablesSql { get; }

    /// <summary>Every table, column and index, to tell whether a migration changed anything.</summary>
    protected abstract string SchemaSql { get; }

    [Fact]
    public async Task Migration_creates_the_orleans_tables_and_every_query_orleans_reads()
    {
        await MigrateAsync();

        var tables = (await Database.ReadRowsAsync(TablesSql)).Select(t => t.ToUpperInvariant());
        Assert.Subset(tables.ToHashSet(), OrleansTables.Select(t => t.ToUpperInvariant()).ToHashSet());
        Assert.Contains("WAYMARK_SCHEMA_VERSIONS", tables);
        Assert.Equal(OrleansQueryKeys.All.Order(), await Database.ReadRowsAsync("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey"));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await MigrateAsync();
        var before = await SnapshotAsync();

        await MigrateAsync();

        Assert.Equal(before, await SnapshotAsync());
    }

    protected Task MigrateAsync() => SchemaMigrator.MigrateAsync(Database, NullLogger.Instance, CancellationToken.None);

    private async Task<List<string>> SnapshotAsync() =>
    [
        .. await Database.ReadRowsAsync(SchemaSql),
        .. await Database.ReadRowsAsync("SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey"),
        .. await Database.ReadRowsAsync("SELECT * FROM waymark_schema_versions ORDER BY 1"),
    ];
}
