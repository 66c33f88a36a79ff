using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Waymark.Storage;
using Waymark.Testing;

namespace Waymark.Bench.Common;

/// <summary>A database a benchmark runs Waymark on, created for it and thrown away after it.</summary>
public abstract class BenchDatabase : IAsyncDisposable
{
    public abstract string Name { get; }

    public abstract bool IsPostgres { get; }

    /// <summary>The storage settings of a gateway or silo on this database (<c>Waymark:Storage:*</c>, <c>ConnectionStrings:Waymark</c>).</summary>
    public abstract IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>The database as Waymark resolves <see cref="Settings"/>: for the benchmark's own reads and writes.</summary>
    public WaymarkDatabase Database => WaymarkDatabase.From(new StorageOptions
    {
        Provider = Enum.Parse<StorageProvider>(Settings["Waymark:Storage:Provider"]!, ignoreCase: true),
        Path = Settings.GetValueOrDefault("Waymark:Storage:Path") ?? new StorageOptions().Path,
        ConnectionString = Settings.GetValueOrDefault("ConnectionStrings:Waymark"),
    });

    /// <summary>Version and durability settings, for the report's header.</summary>
    public abstract Task<string> DescribeAsync();

    /// <summary>Brings the planner's statistics of <paramref name="tables"/> up to date, as the database's own
    /// maintenance does on a live node within about a minute of heavy change (see the timer benchmark).</summary>
    public virtual Task AnalyzeAsync(params string[] tables) => Task.CompletedTask;

    public abstract ValueTask DisposeAsync();

    /// <summary>The first column of the first row of <paramref name="sql"/>, as text.</summary>
    public async Task<string> ScalarAsync(string sql)
    {
        await using var connection = Database.CreateConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>A time of the customer log as its database stores it: SQLite integer microseconds since the epoch,
    /// PostgreSQL <c>timestamptz</c>.</summary>
    public static DateTimeOffset LogTime(object stored) => stored switch
    {
        long microseconds => DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10),
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        DateTimeOffset at => at,
        _ => throw new InvalidOperationException($"A log time stored as {stored?.GetType().Name ?? "null"}."),
    };
}

/// <summary>The default single node: one SQLite file in WAL mode, in a temporary folder.</summary>
public sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly ScratchDirectory folder = new();

    public override string Name => "SQLite (embedded)";

    public override bool IsPostgres => false;

    /// <summary>The temporary folder the database file is in, thrown away with it.</summary>
    public string Folder => folder.Path;

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
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
public sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly PostgresDatabase database;
    private readonly int? poolSize;

    private PostgresBenchDatabase(PostgresDatabase database, int? poolSize) => (this.database, this.poolSize) = (database, poolSize);

    public override string Name => "PostgreSQL";

    public override bool IsPostgres => true;

    /// <summary>The database's connection string as created, without Waymark's pool cap.</summary>
    public string ConnectionString => database.ConnectionString;

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Waymark"] = poolSize is { } size
            ? new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = size }.ConnectionString
            : database.ConnectionString,
    };

    /// <param name="poolSize">The most connections Waymark opens; null for its default
    /// (<see cref="WaymarkDatabase.DefaultPostgresPoolSize"/>).</param>
    public static async Task<PostgresBenchDatabase> CreateAsync(int? poolSize = null) => new(await BenchRun.CreatePostgresDatabaseAsync(), poolSize);

    public override async Task<string> DescribeAsync() =>
        $"PostgreSQL {await ScalarAsync("SHOW server_version")} at {await ScalarAsync("SELECT coalesce(host(inet_server_addr()), 'a Unix socket')")}, " +
        $"fsync={await ScalarAsync("SHOW fsync")}, synchronous_commit={await ScalarAsync("SHOW synchronous_commit")}, " +
        $"ssl={await ScalarAsync("SHOW ssl")}, shared_buffers={await ScalarAsync("SHOW shared_buffers")}, max_connections={await ScalarAsync("SHOW max_connections")}; " +
        (poolSize is { } size
            ? $"Waymark's connection string sets Maximum Pool Size={size}"
            : $"Waymark's pool is capped at {WaymarkDatabase.DefaultPostgresPoolSize} connections (the default)");

    public override Task AnalyzeAsync(params string[] tables) =>
        tables.Length == 0 ? Task.CompletedTask : ScalarAsync(string.Join("; ", tables.Select(t => $"ANALYZE {t}")));

    public override ValueTask DisposeAsync() => database.DisposeAsync();
}
