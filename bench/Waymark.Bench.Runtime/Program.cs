using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Bench.Common;

namespace Waymark.Bench.Runtime;

/// <summary>
/// The journey runtime under load, on the embedded SQLite default and on PostgreSQL: node steps per second entering
/// and at capacity, wake-up lateness with every customer waiting, memory per waiting customer, and the customer log's
/// own append rate as the baseline, over several runs; prints a markdown report and writes it into its section of
/// <c>docs/benchmarks.md</c>.
/// </summary>
internal static class RuntimeBenchmark
{
    public const string Command = "dotnet run -c Release --project bench/Waymark.Bench.Runtime";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static Task Main(string[] args) => BenchRun.MainAsync<BenchSettings, BenchDatabase, DatabaseResult>(
        args, BenchSettings.Parse, () => new SqliteBenchDatabase(), async () => await PostgresBenchDatabase.CreateAsync(), MeasureAsync, Report.Markdown);

    private static async Task<DatabaseResult> MeasureAsync(BenchDatabase database, BenchSettings settings)
    {
        var runs = new List<RunResult>();
        for (var run = 1; run <= settings.Runs; run++)
        {
            runs.Add(await MeasureRunAsync(database, settings, run));
        }

        return new DatabaseResult(database.Name, database.IsPostgres, await database.DescribeAsync(), runs);
    }

    /// <summary>
    /// One run on a gateway of its own, over the same database as the runs before it with customers and journeys of its
    /// own: its memory figures need a node on which only its own crowd is active, and collecting the last run's crowd
    /// instead would take minutes on SQLite (a snapshot write each).
    /// </summary>
    private static async Task<RunResult> MeasureRunAsync(BenchDatabase database, BenchSettings settings, int run)
    {
        await BenchRun.Progress($"{database.Name} run {run}: starting the gateway");
        var gateway = new BenchGateway(new Dictionary<string, string?>(database.Settings) { ["Logging:LogLevel:Default"] = "Warning" });
        try
        {
            gateway.StartServer();
            await SoleSiloAsync(gateway);
            return await new RuntimeLoad(gateway, database, settings, run).MeasureAsync();
        }
        finally
        {
            await gateway.StopAsync();
        }
    }

    /// <summary>Until the last run's silo, stopped without waiting, has left the cluster (PostgreSQL clustering keeps
    /// its row until it is declared dead): until then Orleans may place this run's grains on it.</summary>
    private static async Task SoleSiloAsync(BenchGateway gateway)
    {
        var management = gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var started = Stopwatch.GetTimestamp();
        while ((await management.GetHosts(onlyActive: true)).Count > 1)
        {
            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new TimeoutException($"Waited {Patience} for the previous gateway's silo to leave the cluster.");
            }

            await Task.Delay(250);
        }
    }
}
