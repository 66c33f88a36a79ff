using System.Data.Common;
using Microsoft.Data.Sqlite;
using Waymark.Bench.Common;
using Waymark.Storage;
using Waymark.Testing;

namespace Waymark.Bench.Timers;

/// <summary>A database the silo runs on, created for the benchmark and thrown away after it.</summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    public abstract string Name { get; }

    public abstract IReadOnlyDictionary<string, string?> SiloSettings { get; }

    public WaymarkDatabase Database => WaymarkDatabase.From(new StorageOptions
    {
        Provider = Enum.Parse<StorageProvider>(SiloSettings["Waymark:Storage:Provider"]!, ignoreCase: true),
        Path = SiloSettings.GetValueOrDefault("Waymark:Storage:Path") ?? new StorageOptions().Path,
        ConnectionString = SiloSettings.GetValueOrDefault("ConnectionStrings:Waymark"),
    });

    /// <summary>Version and durability settings, for the report's header.</summary>
    public abstract Task<string> DescribeAsync();

    /// <summary>Brings the planner's statistics of the timer table up to date, as the database's own maintenance does
    /// on a live node, so every measurement sees the plan of a settled table.</summary>
    public virtual Task RefreshStatisticsAsync() => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    protected async Task<string> ScalarAsync(string sql)
    {
        await using var connection = Database.CreateConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}

/// <summary>The default single node: one SQLite file in WAL mode, in a temporary folder.</summary>
internal sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly ScratchDirectory folder = new();

    public override string Name => "SQLite (embedded)";

    public override IReadOnlyDictionary<string, string?> SiloSettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "sqlite",
        ["Waymark:Storage:Path"] = Path.Combine(folder.Path, "waymark.db"),
    };

    public override async Task<string> DescribeAsync() =>
        $"SQLite {await ScalarAsync("SELECT sqlite_version()")}, WAL, synchronous=FULL (the default)";

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

    public override IReadOnlyDictionary<string, string?> SiloSettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Waymark"] = database.ConnectionString,
        ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // loopback only
    };

    public static async Task<PostgresBenchDatabase> CreateAsync() => new(await BenchRun.CreatePostgresDatabaseAsync());

    public override async Task<string> DescribeAsync() =>
        $"PostgreSQL {await ScalarAsync("SHOW server_version")} at {await ScalarAsync("SELECT coalesce(host(inet_server_addr()), 'a Unix socket')")}, " +
        $"fsync={await ScalarAsync("SHOW fsync")}, synchronous_commit={await ScalarAsync("SHOW synchronous_commit")}; " +
        $"the silo's pool is capped at {WaymarkDatabase.DefaultPostgresPoolSize} connections";

    /// <summary>
    /// Autovacuum analyzes a table within about a minute of heavy change. Until then the plan for a page of due rows
    /// rests on statistics from when the table was small: a bitmap scan of every due row of the shard and a sort,
    /// instead of the key's order with a limit, which slows a large backlog down for that minute.
    /// </summary>
    public override Task RefreshStatisticsAsync() => ScalarAsync("ANALYZE waymark_timers");

    public override ValueTask DisposeAsync() => database.DisposeAsync();
}
