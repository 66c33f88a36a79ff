using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Waymark.Bench.Common;
using Waymark.Grains.Timers;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Timers;

namespace Waymark.Bench.Timers;

/// <summary>What one load achieved: how late its wake-ups fired and how many fired per second.</summary>
internal sealed record LoadResult(int WakeUps, int Woken, TimeSpan Scheduling, double WokenPerSecond, double P50Ms, double P99Ms, double MaxMs);

/// <summary>The table alone: wake-ups scheduled per second through the log's append, and drained per second by
/// <see cref="ITimerStore.DueAsync"/> and <see cref="ITimerStore.RemoveAsync"/> with one loop per shard, paging as
/// a shard does, no grain called.</summary>
internal sealed record BaselineResult(double ScheduledPerSecond, double DrainedPerSecond);

/// <summary>
/// Schedules wake-ups for <see cref="BenchWakeUpGrain"/>s through the customer log, as waiting customers will (here
/// timers alone, without the log entry a customer writes beside them), and waits until the silo has woken them all.
/// </summary>
internal sealed class TimerLoad(IHost silo, BenchDatabase database, BenchSettings settings)
{
    private const int TimersPerAppend = 1_000;
    private const int AppendsInFlight = 16;
    private const int PageSize = 500;

    // Shards the silo does not run, so the baseline drains its rows alone.
    private const int BaselineFirstShard = 1_000;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private ICustomerLog Log => silo.Services.GetRequiredService<ICustomerLog>();

    private LatenessRecorder Recorder => silo.Services.GetRequiredService<LatenessRecorder>();

    private int Shards => silo.Services.GetRequiredService<IOptions<TimerWheelOptions>>().Value.Shards;

    /// <summary>Schedules the baseline's rows, tagged <c>{load}:{n}</c>, and drains them.</summary>
    public async Task<BaselineResult> BaselineAsync(string load)
    {
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        var scheduling = await ScheduleAsync(Enumerable.Range(0, settings.WakeUps).Select(i => new TimerEntry(
            BaselineFirstShard + (i % Shards), past.AddTicks(i * 10L), BenchWakeUpGrain.Id(i % settings.Targets).ToString(), $"{load}:{i}")));
        await database.AnalyzeAsync("waymark_timers");

        var store = silo.Services.GetRequiredService<ITimerStore>();
        var started = Stopwatch.GetTimestamp();
        var drained = await Task.WhenAll(Enumerable.Range(BaselineFirstShard, Shards).Select(async shard =>
        {
            // After the last row read, as a shard pages: a scan from the start of the shard would step over the index
            // entries of every row deleted so far, which PostgreSQL keeps until a vacuum.
            var rows = 0;
            IReadOnlyList<TimerEntry> page;
            TimerEntry? after = null;
            while ((page = await store.DueAsync(shard, DateTimeOffset.UtcNow, PageSize, after)).Count > 0)
            {
                await store.RemoveAsync(page);
                rows += page.Count;
                after = page[^1];
            }

            return rows;
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new BaselineResult(settings.WakeUps / scheduling.TotalSeconds, drained.Sum() / elapsed.TotalSeconds);
    }

    /// <summary>Schedules the load's wake-ups, tagged <c>{load}:{n}</c> (so that the recorder tells the loads of
    /// successive runs apart), due from <paramref name="firstDue"/> evenly over <paramref name="window"/>
    /// (all at once when it is zero); returns how long scheduling took.</summary>
    public async Task<TimeSpan> ScheduleAsync(string load, DateTimeOffset firstDue, TimeSpan window)
    {
        Recorder.Start(load);
        var shards = Shards;
        var scheduling = await ScheduleAsync(Enumerable.Range(0, settings.WakeUps).Select(i => WakeUps.Entry(
            BenchWakeUpGrain.Id(i % settings.Targets), firstDue + (window * i / settings.WakeUps), $"{load}:{i}", shards)));
        await database.AnalyzeAsync("waymark_timers");
        return scheduling;
    }

    /// <summary>Waits until every wake-up of the load under way has come, and measures them against
    /// <paramref name="firstDue"/>.</summary>
    public async Task<LoadResult> AwaitAsync(DateTimeOffset firstDue, TimeSpan scheduling)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (Recorder.Count < settings.WakeUps && Stopwatch.GetElapsedTime(deadline) < Patience)
        {
            await Task.Delay(100);
        }

        var (lateness, lastAt) = Recorder.Take();
        if (lateness.Count < settings.WakeUps)
        {
            throw new InvalidOperationException($"Only {lateness.Count} of {settings.WakeUps} wake-ups came within {Patience}.");
        }

        lateness.Sort();
        return new LoadResult(
            settings.WakeUps, lateness.Count, scheduling, lateness.Count / (lastAt - firstDue).TotalSeconds,
            Percentile(lateness, 0.50), Percentile(lateness, 0.99), lateness[^1]);
    }

    private async Task<TimeSpan> ScheduleAsync(IEnumerable<TimerEntry> timers)
    {
        var log = Log;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            timers.Chunk(TimersPerAppend),
            new ParallelOptions { MaxDegreeOfParallelism = AppendsInFlight },
            async (chunk, cancellationToken) => await log.AppendAsync([], chunk, [], cancellationToken));
        return Stopwatch.GetElapsedTime(started);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Round(p * (sorted.Count - 1))];
}
