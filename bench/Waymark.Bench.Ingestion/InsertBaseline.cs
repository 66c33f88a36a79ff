using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Waymark.Bench.Common;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// The baseline on the database the gateway runs on: what a plain application would get from it for the same events,
/// one autocommitted single-row INSERT per event into a table shaped like Waymark's customer log (same columns,
/// primary key and index), from as many connections as the load has requests in flight.
/// </summary>
internal abstract class InsertBaseline
{
    protected abstract string CreateTableSql { get; }

    /// <summary>The baseline of the database the benchmark runs on.</summary>
    public static InsertBaseline For(BenchDatabase database) => database switch
    {
        SqliteBenchDatabase sqlite => new SqliteInsertBaseline(sqlite.Folder),
        PostgresBenchDatabase postgres => new PgbenchInsertBaseline(postgres.ConnectionString),
        _ => throw new ArgumentException($"No baseline for {database.Name}.", nameof(database)),
    };

    public async Task PrepareAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = CreateTableSql;
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>Rows inserted in <paramref name="duration"/>, as events of a <see cref="LoadResult"/>.</summary>
    public abstract Task<LoadResult> RunAsync(BenchSettings settings, TimeSpan duration);

    protected abstract DbConnection Connect();
}

/// <summary>On SQLite: a file of its own beside the gateway's, with the connection settings and journal mode the gateway uses.</summary>
internal sealed class SqliteInsertBaseline(string folder) : InsertBaseline
{
    private long seq;

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(folder, "baseline.db"),
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

    protected override DbConnection Connect() => new SqliteConnection(ConnectionString);

    public override async Task<LoadResult> RunAsync(BenchSettings settings, TimeSpan duration)
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
            at.Value = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10; // microseconds, as the customer log stores them
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


/// <summary>
/// On PostgreSQL: <c>pgbench</c> itself (PostgreSQL's own load driver, from the client package), a table of its own in
/// the gateway's database, one autocommitted INSERT per transaction with prepared statements, from as many clients as
/// the load has requests in flight.
/// </summary>
internal sealed class PgbenchInsertBaseline(string connectionString) : InsertBaseline
{
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

    protected override DbConnection Connect() => new NpgsqlConnection(connectionString);

    public override async Task<LoadResult> RunAsync(BenchSettings settings, TimeSpan duration)
    {
        var script = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, Script(settings.Customers));
            var connection = new NpgsqlConnectionStringBuilder(connectionString);
            var start = new ProcessStartInfo("pgbench")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["PGHOST"] = connection.Host,
                    ["PGPORT"] = connection.Port.ToString(CultureInfo.InvariantCulture),
                    ["PGUSER"] = connection.Username,
                    ["PGPASSWORD"] = connection.Password,
                    ["PGDATABASE"] = connection.Database,
                },
            };
            foreach (var argument in new[]
            {
                "--no-vacuum", "--protocol=prepared",
                $"--client={settings.Concurrency}", $"--jobs={Environment.ProcessorCount}",
                $"--time={Math.Max(1, (int)Math.Round(duration.TotalSeconds))}", $"--file={script}",
                $"--define=payload={IngestionLoad.Message(0, 1, DateTimeOffset.UtcNow)}",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var cpu = CpuMeter.Start();
            var started = Stopwatch.GetTimestamp();
            using var pgbench = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start.");
            var output = pgbench.StandardOutput.ReadToEndAsync();
            var errors = pgbench.StandardError.ReadToEndAsync();
            await pgbench.WaitForExitAsync();
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (pgbench.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench exited with {pgbench.ExitCode}: {await errors}");
            }

            // "number of transactions actually processed: N" and "tps = R (without initial connection time)": the
            // rate excludes the connections' set-up, as the other baselines' warmed-up connections do.
            var report = await output;
            var transactions = long.Parse(Value(report, "number of transactions actually processed:").Split('/')[0], CultureInfo.InvariantCulture);
            return transactions == 0
                ? new LoadResult(0, elapsed, cpu.Stop(elapsed)) // a run shorter than the clients' connecting prints no rate
                : new LoadResult(transactions, TimeSpan.FromSeconds(transactions / double.Parse(Value(report, "tps =").Split(' ')[0], CultureInfo.InvariantCulture)), cpu.Stop(elapsed));
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>One event per transaction: a random customer, a random sequence number (a collision in 2^62 is not
    /// worth a round trip for a counter), and a message as the gateway receives it, so rows are as wide as Waymark's (a
    /// variable: pgbench takes a colon before a name or a number for a variable, in a literal too).</summary>
    private static string Script(int customers) => $"""
        \set customer random(0, {customers - 1})
        \set seq random(1, 4611686018427387904)
        INSERT INTO bench_baseline_log (workspace, customer_key, seq, kind, at, recorded_at, name, payload) VALUES ('default', 'u:' || 'bench-c-' || lpad(CAST(:customer AS text), 5, '0'), CAST(:seq AS bigint), 'event', now(), now(), 'Product Viewed', :payload);

        """;

    private static string Value(string report, string label)
    {
        var line = report.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"pgbench printed no \"{label}\":\n{report}");
        return line.TrimStart()[label.Length..].Trim();
    }
}
