using System.Globalization;
using System.Text;
using Waymark.Bench.Common;
using static Waymark.Bench.Common.BenchReport;

namespace Waymark.Bench.Timers;

/// <summary>One run's figures; the heap is measured with none, then all, of the spread load's wake-ups pending.</summary>
internal sealed record RunResult(BaselineResult Baseline, LoadResult Spread, LoadResult Burst, long HeapBytesNonePending, long HeapBytesAllPending)
{
    public double BytesPerPendingWakeUp => (HeapBytesAllPending - HeapBytesNonePending) / (double)Spread.WakeUps;
}

/// <summary>One database's runs.</summary>
internal sealed record DatabaseResult(string Name, string Description, IReadOnlyList<RunResult> Runs)
{
    public double Median(Func<RunResult, double> figure) => Stats.Median(Runs.Select(figure));
}

/// <summary>The markdown report, a section of <c>docs/benchmarks.md</c> of its own.</summary>
internal static class Report
{
    public static string Markdown(BenchSettings settings, string[] args, IReadOnlyList<DatabaseResult> results)
    {
        var text = new StringBuilder();
        Heading(text, "Timer wheel benchmark", "Waymark.Bench.Timers");
        Line(text, $"- **What**: the timer wheel in a real silo (8 shards, 250 ms poll, the defaults) hosted in this process: " +
            $"{settings.WakeUps:N0} wake-ups of {settings.Targets:N0} target grains, scheduled through the customer log's append " +
            "(1,000 per append, 16 appends in flight), each recording how late it was woken against its due time.");
        Line(text, $"- **Loads**: *spread*: due evenly over {Seconds(settings.Window)} ({settings.WakeUps / settings.Window.TotalSeconds:N0} per second " +
            "offered; after a warm-up of one wake-up per target, so every run finds its targets active); *burst*: all due at the same " +
            "instant, so wake-ups/s is the wheel's capacity and lateness grows through the backlog (in due order). Scheduling ends " +
            $"before the first due time ({Seconds(settings.Lead)} ahead); after scheduling, PostgreSQL's statistics of the timer table " +
            "are refreshed (`ANALYZE`), as autovacuum does within a minute on a live node (see `bench/README.md`).");
        Line(text, "- **Baseline**, in the same run: the same number of rows scheduled, then drained by one loop per shard " +
            "of `ITimerStore.DueAsync` (500 rows) and `RemoveAsync`, calling no grain: the most the table lets the wheel do.");
        Line(text, $"- **How**: after the warm-up, {RunsEach(settings.Runs)} of the baseline, then the spread load, then the burst, so that " +
            "a drift of the machine touches all three alike. The table gives the median of each figure over the runs (each " +
            "percentile's median, not a percentile of all wake-ups), and *burst / baseline* the ratio of their medians; every " +
            "run's figures are listed below it.");
        Line(text, "- **Memory per pending wake-up**: the managed heap after full compacting collections, with every spread wake-up " +
            "scheduled and none due, less the heap before scheduling, over the number of wake-ups: pending wake-ups are rows, not " +
            "objects, so what remains is measurement noise (SQLite's page cache is native memory, bounded per connection).");
        Circumstances(text, results.Select(r => (r.Name, r.Description)), TimerBenchmark.Command, args);
        TableHeader(
            text, "database", "spread: lateness p50 / p99 / max", "burst: wake-ups/s", "burst: lateness p50 / p99 / max", "baseline: rows drained/s",
            "burst / baseline", "scheduled/s through the log", "managed heap, none → all pending", "bytes per pending wake-up");
        foreach (var result in results)
        {
            var burst = result.Median(r => r.Burst.WokenPerSecond);
            var baseline = result.Median(r => r.Baseline.DrainedPerSecond);
            Line(text, $"| {result.Name} | {Latency(result, r => r.Spread)} | {burst:N0} | {Latency(result, r => r.Burst)} | " +
                $"{baseline:N0} | {Ratio(burst / baseline)} | {result.Median(r => r.Baseline.ScheduledPerSecond):N0} | " +
                $"{MiB(result.Median(r => r.HeapBytesNonePending))} → {MiB(result.Median(r => r.HeapBytesAllPending))} MiB | " +
                $"{result.Median(r => r.BytesPerPendingWakeUp).ToString("0.0", CultureInfo.InvariantCulture)} |");
        }

        Line(text);
        Line(text, "Lateness is from the due time to the target's call, in milliseconds. Everything shares the machine: silo, " +
            "load driver and database. Every run:");
        Line(text);
        TableHeader(
            text, "database", "run", "spread: lateness p50 / p99", "burst: wake-ups/s", "burst: lateness p50 / p99", "baseline: rows drained/s",
            "burst / baseline", "bytes per pending wake-up");
        foreach (var result in results)
        {
            for (var run = 0; run < result.Runs.Count; run++)
            {
                var r = result.Runs[run];
                Line(text, string.Create(CultureInfo.InvariantCulture, $"| {result.Name} | {run + 1} | {Percentiles(r.Spread.P50Ms, r.Spread.P99Ms)} ms | " +
                    $"{r.Burst.WokenPerSecond:N0} | {Percentiles(r.Burst.P50Ms, r.Burst.P99Ms)} ms | {r.Baseline.DrainedPerSecond:N0} | " +
                    $"{Ratio(r.Burst.WokenPerSecond / r.Baseline.DrainedPerSecond)} | {r.BytesPerPendingWakeUp:0.0} |"));
            }
        }

        return text.ToString();
    }

    private static string Latency(DatabaseResult result, Func<RunResult, LoadResult> load) =>
        $"{Percentiles(result.Median(r => load(r).P50Ms), result.Median(r => load(r).P99Ms), result.Median(r => load(r).MaxMs))} ms";

    private static string MiB(double bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);
}
