using Microsoft.Extensions.DependencyInjection;
using Waymark.Bench.Common;
using Waymark.Storage.CustomerLog;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// Durable events per second of <c>POST /v1/batch</c>, on the embedded SQLite default and on PostgreSQL, each against
/// single-row INSERTs into the same database; prints a markdown report and writes it into its section of
/// <c>docs/benchmarks.md</c>.
/// </summary>
internal static class IngestionBenchmark
{
    public const string Command = "dotnet run -c Release --project bench/Waymark.Bench.Ingestion";

    private static Task Main(string[] args) => BenchRun.MainAsync<BenchSettings, BenchDatabase, DatabaseResult>(
        args, BenchSettings.Parse, () => new SqliteBenchDatabase(), async () => await PostgresBenchDatabase.CreateAsync(), MeasureAsync, Report.Markdown);

    private static async Task<DatabaseResult> MeasureAsync(BenchDatabase database, BenchSettings settings)
    {
        await BenchRun.Progress($"{database.Name}: starting the gateway");
        await database.PrepareBaselineAsync();
        var gateway = new BenchGateway(database.GatewaySettings);
        try
        {
            gateway.StartServer();
            using var load = new IngestionLoad(gateway.BaseAddress, settings);
            var log = (SqlCustomerLog)gateway.Services.GetRequiredService<ICustomerLog>();

            await BenchRun.Progress($"{database.Name}: warming up ({settings.Customers} customers, then {settings.WarmUp.TotalSeconds} s)");
            Succeeded(await load.TouchEveryCustomerAsync());
            Succeeded(await load.RunAsync(settings.WarmUp));
            await database.RunBaselineAsync(settings, TimeSpan.FromSeconds(1)); // its connections and statements

            // Alternating, so that a drift of the machine (page cache, other work) touches both alike.
            var waymark = new List<LoadResult>();
            var baseline = new List<LoadResult>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                var commits = log.Transactions;
                waymark.Add(Succeeded(await load.RunAsync(settings.RunTime)) with { LogCommits = log.Transactions - commits });
                baseline.Add(await database.RunBaselineAsync(settings, settings.RunTime));
                await BenchRun.Progress($"{database.Name} run {run}: Waymark {waymark[^1].EventsPerSecond:N0} events/s, baseline {baseline[^1].EventsPerSecond:N0} events/s");
            }

            return new DatabaseResult(database.Name, database.Description, waymark, baseline);
        }
        finally
        {
            await StopAsync(gateway);
        }
    }

    private static async Task StopAsync(BenchGateway gateway)
    {
        try
        {
            await gateway.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The silo was still saving customers' snapshots at the shutdown timeout; the data is thrown away.
        }
    }

    /// <summary>A run with refused requests measures a failure, not the gateway: stop there.</summary>
    private static LoadResult Succeeded(LoadResult result) =>
        result.Errors == 0 ? result : throw new InvalidOperationException($"The gateway refused {result.Errors} requests; the first: {result.FirstError}");
}
