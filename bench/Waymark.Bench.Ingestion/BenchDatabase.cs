using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using Waymark.Bench.Common;
using Waymark.Testing;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// A database the gateway runs on, and the baseline on that same database: what a plain application would get from
/// it for the same events, one autocommitted single-row INSERT per event into a table shaped like Waymark's customer
/// log (same columns, primary key and index), from as many connections as the load has requests in flight.
/// </summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    private long seq;

    public abstract string Name { get; }

    /// <summary>The gateway's storage settings.</summary>
    public abstract IReadOnlyDictionary<string, string?> GatewaySettings { get; }

    /// <summary>Version and durability settings, for the report's header.</summary>
    public string Description { get; private set; } = "";

    protected abstract string CreateTableSql { get; }

    public async Task PrepareBaselineAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        Description = await DescribeAsync(connection);
        await using var create = connection.CreateCommand();
        create.CommandText = CreateTableSql;
        await create.ExecuteNonQueryAsync();
    }

    public async Task<LoadResult> RunBaselineAsync(BenchSettings settings, TimeSpan duration)
    {
        var cpu = CpuMeter.Start();
        var started = Stopwatch.GetTimestamp();
        var inserters = Enumerable.Range(0, settings.Concurrency)
            .Select(worker => Task.Run(() => Inserter(new Random(worker), settings.Customers, started, duration)))
            .ToList();
        var rows = (await Task.WhenAll(inserters)).Sum();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LoadResult(rows, elapsed, cpu.Stop(elapsed));
    }

    public abstract ValueTask DisposeAsync();

    protected abstract DbConnection Connect();

    protected abstract Task<string> DescribeAsync(DbConnection connection);

    /// <summary>How <c>at</c> and <c>recorded_at</c> are stored, as in the customer log of this database.</summary>
    protected abstract object Time(DateTimeOffset time);

    protected static async Task<string> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    private async Task<long> Inserter(Random random, int customers, long started, TimeSpan duration)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO bench_baseline_log (workspace, customer_key, seq, kind, at, recorded_at, name, payload)
            VALUES (@workspace, @customer_key, @seq, 'event', @at, @at, 'Product Viewed', @payload)
            """;
        var workspace = Parameter(insert, "workspace");
        var customerKey = Parameter(insert, "customer_key");
        var number = Parameter(insert, "seq");
        var at = Parameter(insert, "at");
        var payload = Parameter(insert, "payload");
        workspace.Value = "default";
        long rows = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            var customer = random.Next(customers);
            var id = Interlocked.Increment(ref seq);
            customerKey.Value = $"u:{IngestionLoad.CustomerId(customer)}";
            number.Value = id;
            at.Value = Time(DateTimeOffset.UtcNow);
            // The message as the gateway receives it, so rows are as wide as the events Waymark stores.
            payload.Value = IngestionLoad.Message(customer, id, DateTimeOffset.UtcNow);
            await insert.ExecuteNonQueryAsync();
            rows++;
        }

        return rows;
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}

/// <summary>The default single node: one SQLite file in WAL mode, as <c>Waymark.Storage</c> opens it.</summary>
internal sealed class SqliteBenchDatabase : BenchDatabase
{
    private readonly ScratchDirectory folder = new();

    public override string Name => "SQLite (embedded)";

    public override IReadOnlyDictionary<string, string?> GatewaySettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Path"] = Path.Combine(folder.Path, "waymark.db"),
    };

    // The baseline gets a file of its own, with the connection settings and journal mode the gateway uses.
    private string BaselineConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(folder.Path, "baseline.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    protected override string CreateTableSql => """
        PRAGMA journal_mode = WAL;
        CREATE TABLE bench_baseline_log
        (
            workspace TEXT NOT NULL, customer_key TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
            at INTEGER NOT NULL, recorded_at INTEGER NOT NULL, name TEXT NULL, payload TEXT NOT NULL,
            PRIMARY KEY (workspace, customer_key, seq)
        );
        CREATE INDEX ix_bench_baseline_log_at ON bench_baseline_log (workspace, customer_key, at, seq);
        """;

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override DbConnection Connect() => new SqliteConnection(BaselineConnectionString);

    protected override async Task<string> DescribeAsync(DbConnection connection) =>
        $"SQLite {await ScalarAsync(connection, "SELECT sqlite_version()")}, WAL, synchronous=FULL (the default)";

    protected override object Time(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10; // microseconds
}

/// <summary>A fresh PostgreSQL database on the server of <see cref="BenchRun.PostgresServerVariable"/>, dropped afterwards.</summary>
internal sealed class PostgresBenchDatabase : BenchDatabase
{
    /// <summary>
    /// The gateway's connection pool. Npgsql's default, 100, is all a default server allows (max_connections 100,
    /// 3 of them reserved): when thousands of customers activate at once the gateway opens every one, and requests
    /// fail on refused connections and pool timeouts (bench/README.md). An operator sets a smaller pool; so does this.
    /// </summary>
    private const int GatewayPoolSize = 20;

    private readonly PostgresDatabase database;

    private PostgresBenchDatabase(PostgresDatabase database) => this.database = database;

    public override string Name => "PostgreSQL";

    public override IReadOnlyDictionary<string, string?> GatewaySettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Waymark"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = GatewayPoolSize }.ConnectionString,
    };

    protected override string CreateTableSql => """
        CREATE TABLE bench_baseline_log
        (
            workspace text COLLATE "C" NOT NULL, customer_key text COLLATE "C" NOT NULL, seq bigint NOT NULL,
            kind text NOT NULL, at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, name text NULL,
            payload text NOT NULL,
            PRIMARY KEY (workspace, customer_key, seq)
        );
        CREATE INDEX ix_bench_baseline_log_at ON bench_baseline_log (workspace, customer_key, at, seq);
        """;

    public static async Task<PostgresBenchDatabase> CreateAsync() => new(await BenchRun.CreatePostgresDatabaseAsync());

    public override ValueTask DisposeAsync() => database.DisposeAsync();

    protected override DbConnection Connect() => new NpgsqlConnection(database.ConnectionString);

    protected override async Task<string> DescribeAsync(DbConnection connection) =>
        $"PostgreSQL {await ScalarAsync(connection, "SHOW server_version")} at {await ScalarAsync(connection, "SELECT coalesce(host(inet_server_addr()), 'a Unix socket')")}, " +
        $"fsync={await ScalarAsync(connection, "SHOW fsync")}, synchronous_commit={await ScalarAsync(connection, "SHOW synchronous_commit")}, " +
        $"ssl={await ScalarAsync(connection, "SHOW ssl")}, max_connections={await ScalarAsync(connection, "SHOW max_connections")}; " +
        $"the gateway's connection string sets Maximum Pool Size={GatewayPoolSize}";

    protected override object Time(DateTimeOffset time) => time.UtcDateTime;
}
