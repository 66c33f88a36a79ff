using Waymark.Bench.Common;

namespace Waymark.Bench.Runtime;

/// <summary>
/// The journey runtime under load, on the embedded SQLite default and on PostgreSQL: node steps per second entering
/// and at capacity, wake-up lateness with every customer waiting, memory per waiting customer, and the customer log's
/// own append rate as the baseline; prints a markdown report and writes it into its section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class RuntimeBenchmark
{
    public const string Command = "dotnet run -c Release --project bench/Waymark.Bench.Runtime";

    private static Task Main(string[] args) => BenchRun.MainAsync<BenchSettings, BenchDatabase, DatabaseResult>(
        args, BenchSettings.Parse, () => new SqliteBenchDatabase(), async () => await PostgresBenchDatabase.CreateAsync(), MeasureAsync, Report.Markdown);

    private static async Task<DatabaseResult> MeasureAsync(BenchDatabase database, BenchSettings settings)
    {
        await BenchRun.Progress($"{database.Name}: starting the gateway");
        var gateway = new BenchGateway(database.GatewaySettings);
        try
        {
            gateway.StartServer();
            return await new RuntimeLoad(gateway, database, settings).MeasureAsync();
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
}
