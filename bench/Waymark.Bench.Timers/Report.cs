using System.Globalization;
using System.Text;
using static Waymark.Bench.Common.BenchReport;

namespace Waymark.Bench.Timers;

/// <summary>One database's figures; the heap is measured with none, then all, of the spread load's wake-ups pending.</summary>
internal sealed record DatabaseResult(
    string Name, string Description, BaselineResult Baseline, LoadResult Spread, LoadResult Burst, long HeapBytesNonePending, long HeapBytesAllPending)
{
    public double BytesPerPendingWakeUp => (HeapBytesAllPending - HeapBytesNonePending) / (double)Spread.WakeUps;
}

/// <summary>The markdown report, a section of <c>docs/benchmarks.md</c> of its own.</summary>
internal static class Report
{
    public static string Markdown(BenchSettings settings, string[] args, IReadOnlyList<DatabaseResult> results)
    {
        var text = new StringBuilder();
        Line(text, "# Timer wheel benchmark");
        Line(text);
        Line(text, "Written by `bench/Waymark.Bench.Timers` (see `bench/README.md`); run the command below to refresh it.");
        Line(text);
        Line(text, $"- **What**: the timer wheel in a real silo (8 shards, 250 ms poll, the defaults) hosted in this process: " +
            $"{settings.WakeUps:N0} wake-ups of {settings.Targets:N0} target grains, scheduled through the customer log's append " +
            "(1,000 per append, 16 appends in flight), each recording how late it was woken against its due time.");
        Line(text, $"- **Loads**: *spread*: due evenly over {Seconds(settings.Window)} ({settings.WakeUps / settings.Window.TotalSeconds:N0} per second " +
            "offered; after a warm-up of 2,000 wake-ups, so most targets activate on their first wake-up); *burst*: all due at the same " +
            "instant, so wake-ups/s is the wheel's capacity and lateness grows through the backlog (in due order). Scheduling ends " +
            $"before the first due time ({Seconds(settings.Lead)} ahead); after scheduling, PostgreSQL's statistics of the timer table " +
            "are refreshed (`ANALYZE`), as autovacuum does within a minute on a live node (see `bench/README.md`).");
        Line(text, "- **Baseline**, in the same run: the same number of rows scheduled, then drained by one loop per shard " +
            "of `ITimerStore.DueAsync` (500 rows) and `RemoveAsync`, calling no grain: the most the table lets the wheel do.");
        Line(text, "- **Memory per pending wake-up**: the managed heap after full compacting collections, with every spread wake-up " +
            "scheduled and none due, less the heap before scheduling, over the number of wake-ups: pending wake-ups are rows, not " +
            "objects, so what remains is measurement noise (SQLite's page cache is native memory, bounded per connection).");
        Circumstances(text, results.Select(r => (r.Name, r.Description)), TimerBenchmark.Command, args);
        Line(text);
        Line(text, "| database | spread: lateness p50 / p99 / max | burst: wake-ups/s | burst: lateness p50 / p99 / max | baseline: rows drained/s | burst / baseline | scheduled/s through the log | managed heap, none → all pending | bytes per pending wake-up |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            Line(text, $"| {result.Name} | {Latency(result.Spread)} | {result.Burst.WokenPerSecond:N0} | {Latency(result.Burst)} | " +
                $"{result.Baseline.DrainedPerSecond:N0} | {result.Burst.WokenPerSecond / result.Baseline.DrainedPerSecond:0.00} | " +
                $"{result.Baseline.ScheduledPerSecond:N0} | {MiB(result.HeapBytesNonePending)} → {MiB(result.HeapBytesAllPending)} MiB | " +
                $"{result.BytesPerPendingWakeUp.ToString("0.0", CultureInfo.InvariantCulture)} |");
        }

        Line(text);
        Line(text, "Lateness is from the due time to the target's call, in milliseconds. Everything shares the machine: silo, " +
            "load driver and database.");
        return text.ToString();
    }

    private static string Latency(LoadResult load) =>
        string.Create(CultureInfo.InvariantCulture, $"{load.P50Ms:N0} / {load.P99Ms:N0} / {load.MaxMs:N0} ms");

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);
}
