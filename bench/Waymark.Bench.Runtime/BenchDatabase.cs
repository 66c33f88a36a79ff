using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Waymark.Bench.Common;
using Waymark.Storage;
using Waymark.Testing;

namespace Waymark.Bench.Runtime;

/// <summary>A database the gateway runs on, created for the benchmark and thrown away after it.</summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    public abstract string Name { get; }

    /// <summary>The gateway's storage settings.</summary>
    public abstract IReadOnlyDictionary<string, string?> GatewaySettings { get; }

    /// <summary>Version and durability settings, for the report's header.</summary>
    public abstract Task<string> DescribeAsync(WaymarkDatabase database);

    /// <summary>Brings the planner's statistics up to date, as the database's own maintenance does on a live node
    /// within about a minute of heavy change (see the timer benchmark).</summary>
    public virtual Task RefreshStatisticsAsync(WaymarkDatabase database) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    protected static async Task<string> ScalarAsync(WaymarkDatabase database, string sql)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}

/// <summary>The default single node: one SQLite file in WAL mode, in a temporary folder.</summary>
internal sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly ScratchDirectory folder = new();

    public override string Name => "SQLite (embedded)";

    public override IReadOnlyDictionary<string, string?> GatewaySettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Path"] = Path.Combine(folder.Path, "waymark.db"),
    };

    public override async Task<string> DescribeAsync(WaymarkDatabase database) =>
        $"SQLite {await ScalarAsync(database, "SELECT sqlite_version()")}, WAL, synchronous=FULL (the default)";

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fresh PostgreSQL database on the server of <see cref="BenchRun.PostgresServerVariable"/>, dropped afterwards.</summary>
internal sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly PostgresDatabase database;

    private PostgresBenchDatabase(PostgresDatabase database) => this.database = database;

    public override string Name => "PostgreSQL";

    public override IReadOnlyDictionary<string, string?> GatewaySettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Waymark"] = database.ConnectionString,
    };

    public static async Task<PostgresBenchDatabase> CreateAsync() => new(await BenchRun.CreatePostgresDatabaseAsync());

    public override async Task<string> DescribeAsync(WaymarkDatabase database) =>
        $"PostgreSQL {await ScalarAsync(database, "SHOW server_version")} at {await ScalarAsync(database, "SELECT coalesce(host(inet_server_addr()), 'a Unix socket')")}, " +
        $"fsync={await ScalarAsync(database, "SHOW fsync")}, synchronous_commit={await ScalarAsync(database, "SHOW synchronous_commit")}, " +
        $"shared_buffers={await ScalarAsync(database, "SHOW shared_buffers")}; the gateway's pool is capped at {WaymarkDatabase.DefaultPostgresPoolSize} connections (the default)";

    public override Task RefreshStatisticsAsync(WaymarkDatabase database) =>
        ScalarAsync(database, "ANALYZE waymark_timers; ANALYZE waymark_customer_log; ANALYZE orleansgrainstate");

    public override ValueTask DisposeAsync() => database.DisposeAsync();
}
