using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Waymark.Bench.Common;
using Waymark.Hosting;

namespace Waymark.Bench.Timers;

/// <summary>
/// Wake-up lateness and wake-ups per second of the timer wheel in a real silo, on the embedded SQLite default and on
/// PostgreSQL, beside what the timer table alone gives; prints a markdown report and writes it into its section of
/// <c>docs/benchmarks.md</c>.
/// </summary>
internal static class TimerBenchmark
{
    public const string Command = "dotnet run -c Release --project bench/Waymark.Bench.Timers";

    private static Task Main(string[] args) => BenchRun.MainAsync<BenchSettings, BenchDatabase, DatabaseResult>(
        args, BenchSettings.Parse, () => new SqliteBenchDatabase(), async () => await PostgresBenchDatabase.CreateAsync(), MeasureAsync, Report.Markdown);

    private static async Task<DatabaseResult> MeasureAsync(BenchDatabase database, BenchSettings settings)
    {
        await BenchRun.Progress($"{database.Name}: starting the silo");
        using var silo = await StartSiloAsync(database);
        try
        {
            // A wake-up per target, so that every run finds its targets active and the runs are alike.
            var load = new TimerLoad(silo, database, settings with { WakeUps = Math.Min(settings.Targets, settings.WakeUps) });
            var warmUp = DateTimeOffset.UtcNow;
            await load.AwaitAsync(warmUp, await load.ScheduleAsync("warm-up", warmUp, TimeSpan.Zero));
            load = new TimerLoad(silo, database, settings);

            var runs = new List<RunResult>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                runs.Add(await MeasureRunAsync(load, $"{database.Name} run {run}", run, settings));
            }

            return new DatabaseResult(database.Name, await database.DescribeAsync(), runs);
        }
        finally
        {
            await silo.StopAsync();
        }
    }

    /// <summary>The baseline, then the spread load, then the burst: each run has all three, so that a drift of the
    /// machine (page cache, vacuum, other work) touches them alike.</summary>
    private static async Task<RunResult> MeasureRunAsync(TimerLoad load, string name, int run, BenchSettings settings)
    {
        await BenchRun.Progress($"{name}: baseline, {settings.WakeUps:N0} rows scheduled and drained without grains");
        var baseline = await load.BaselineAsync($"baseline-{run}");

        await BenchRun.Progress($"{name}: spread, {settings.WakeUps:N0} wake-ups due over {settings.Window.TotalSeconds} s");
        var heapBefore = ManagedHeapBytes();
        var firstDue = DateTimeOffset.UtcNow + settings.Lead;
        var scheduling = await load.ScheduleAsync($"spread-{run}", firstDue, settings.Window);
        var heapPending = ManagedHeapBytes();
        if (DateTimeOffset.UtcNow > firstDue)
        {
            throw new InvalidOperationException($"Scheduling took {scheduling.TotalSeconds:0.0} s, past the first due time: raise --lead-seconds.");
        }

        var spread = await load.AwaitAsync(firstDue, scheduling);

        await BenchRun.Progress($"{name}: burst, {settings.WakeUps:N0} wake-ups due at once");
        firstDue = DateTimeOffset.UtcNow + settings.Lead;
        var burst = await load.AwaitAsync(firstDue, await load.ScheduleAsync($"burst-{run}", firstDue, TimeSpan.Zero));

        await BenchRun.Progress($"{name}: spread p99 {spread.P99Ms:N0} ms, burst {burst.WokenPerSecond:N0}/s, baseline drain {baseline.DrainedPerSecond:N0}/s");
        return new RunResult(baseline, spread, burst, heapBefore, heapPending);
    }

    private static async Task<IHost> StartSiloAsync(BenchDatabase database)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(database.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // loopback only, also when PostgreSQL clustering is on
            ["Waymark:Silo:SiloPort"] = Testing.FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = "0",
        });
        // Warnings and errors only, to stderr: stdout carries the report.
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<LatenessRecorder>();
        builder.AddWaymarkSilo(silo => silo.Services.AddSerializer(s => s.AddAssembly(typeof(BenchWakeUpGrain).Assembly)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The managed heap after full compacting collections: what the process holds, not what it has allocated.</summary>
    private static long ManagedHeapBytes()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
