using Microsoft.Extensions.DependencyInjection;
using Waymark.Bench.Common;
using Waymark.Storage.CustomerLog;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// Durable events per second of <c>POST /v1/batch</c>, on the embedded SQLite default and on PostgreSQL, each against
/// single-row INSERTs into the same database (pgbench on PostgreSQL) and against Kestrel's plaintext requests/s; prints a markdown report and writes it into its section of
/// <c>docs/benchmarks.md</c>.
/// </summary>
internal static class IngestionBenchmark
{
    public const string Command = "dotnet run -c Release --project bench/Waymark.Bench.Ingestion";

    /// <summary>
    /// The gateway's connection pool on PostgreSQL. Npgsql's default, 100, is all a default server allows
    /// (max_connections 100, 3 of them reserved): when thousands of customers activate at once the gateway opens every
    /// one, and requests fail on refused connections and pool timeouts (bench/README.md). An operator sets a smaller
    /// pool; so does this.
    /// </summary>
    private const int GatewayPoolSize = 20;

    private static Task Main(string[] args) => BenchRun.MainAsync<BenchSettings, BenchDatabase, DatabaseResult>(
        args, BenchSettings.Parse, () => new SqliteBenchDatabase(), async () => await PostgresBenchDatabase.CreateAsync(GatewayPoolSize), MeasureAsync, Report.Markdown);

    private static async Task<DatabaseResult> MeasureAsync(BenchDatabase database, BenchSettings settings)
    {
        await BenchRun.Progress($"{database.Name}: starting the gateway");
        var insertBaseline = InsertBaseline.For(database);
        await insertBaseline.PrepareAsync();
        var gateway = new BenchGateway(database.Settings);
        await using var plaintext = await PlaintextBaseline.StartAsync(settings.Concurrency);
        try
        {
            gateway.StartServer();
            var description = await database.DescribeAsync();
            using var load = new IngestionLoad(gateway.BaseAddress, settings);
            var log = (SqlCustomerLog)gateway.Services.GetRequiredService<ICustomerLog>();

            await BenchRun.Progress($"{database.Name}: warming up ({settings.Customers} customers, then {settings.WarmUp.TotalSeconds} s)");
            Succeeded(await load.TouchEveryCustomerAsync());
            Succeeded(await load.RunAsync(settings.WarmUp));
            await insertBaseline.RunAsync(settings, TimeSpan.FromSeconds(1)); // its connections and statements
            await plaintext.RunAsync(TimeSpan.FromSeconds(1));

            // Alternating, so that a drift of the machine (page cache, other work) touches both alike.
            var waymark = new List<LoadResult>();
            var baseline = new List<LoadResult>();
            var http = new List<LoadResult>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                var commits = log.Transactions;
                waymark.Add(Succeeded(await load.RunAsync(settings.RunTime)) with { LogCommits = log.Transactions - commits });
                baseline.Add(await insertBaseline.RunAsync(settings, settings.RunTime));
                http.Add(await plaintext.RunAsync(settings.RunTime));
                await BenchRun.Progress($"{database.Name} run {run}: Waymark {waymark[^1].EventsPerSecond:N0} events/s, " +
                    $"baseline {baseline[^1].EventsPerSecond:N0} events/s, Kestrel plaintext {http[^1].EventsPerSecond:N0} requests/s");
            }

            return new DatabaseResult(database.Name, description, waymark, baseline, http);
        }
        finally
        {
            await gateway.StopAsync();
        }
    }

    /// <summary>A run with refused requests measures a failure, not the gateway: stop there.</summary>
    private static LoadResult Succeeded(LoadResult result) =>
        result.Errors == 0 ? result : throw new InvalidOperationException($"The gateway refused {result.Errors} requests; the first: {result.FirstError}");
}
