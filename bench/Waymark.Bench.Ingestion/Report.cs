using System.Text;
using Waymark.Bench.Common;
using static Waymark.Bench.Common.BenchReport;

namespace Waymark.Bench.Ingestion;

/// <param name="Plaintext">Kestrel's plaintext runs: requests answered, as events.</param>
internal sealed record DatabaseResult(
    string Name, string Description, IReadOnlyList<LoadResult> Waymark, IReadOnlyList<LoadResult> Baseline, IReadOnlyList<LoadResult> Plaintext);

/// <summary>The markdown report, a section of <c>docs/benchmarks.md</c> of its own: what was measured, how, on what, and the medians.</summary>
internal static class Report
{
    public static string Markdown(BenchSettings settings, string[] args, IReadOnlyList<DatabaseResult> results)
    {
        var text = new StringBuilder();
        Heading(text, "Ingestion benchmark", "Waymark.Bench.Ingestion");
        Line(text, $"- **What**: durable events per second through `POST /v1/batch`: batches of {settings.BatchSize} Segment `track` " +
            $"messages for customers drawn at random among {settings.Customers:N0}, {settings.Concurrency} requests in flight, over " +
            "loopback HTTP to the real gateway and its embedded silo, in this process. An event counts once it is acknowledged " +
            "with 200, which the gateway sends only when it is in its customer's durable log.");
        Line(text, $"- **How**: every customer is sent one event first, then {Seconds(settings.WarmUp)} of warm-up; then {settings.Runs} runs " +
            $"of {Seconds(settings.RunTime)}, each followed by {Seconds(settings.RunTime)} of each baseline. Medians of the runs.");
        Line(text, $"- **Database baseline**: {settings.Concurrency} connections to the same database, each inserting one row per event in " +
            "autocommit into a table shaped like the customer log (same columns, primary key and index): what a plain " +
            "application gets when every event must be durable before it answers. On PostgreSQL the inserts are `pgbench`'s " +
            "(prepared statements, one INSERT per transaction, its rate without connection set-up); on SQLite, this process's " +
            "through Microsoft.Data.Sqlite.");
        Line(text, $"- **HTTP baseline**: Kestrel answering `GET /plaintext` with \"Hello, World!\" in this process, driven by the same " +
            $"client with {settings.Concurrency} requests in flight: the most requests/s any endpoint could answer here. Waymark's " +
            $"requests each carry {settings.BatchSize} events.");
        Circumstances(text, results.Select(r => (r.Name, r.Description)), IngestionBenchmark.Command, args);
        TableHeader(
            text, "database", "Waymark events/s", "single-row inserts/s", "Waymark / inserts", "Waymark requests/s", "Kestrel plaintext requests/s",
            "Waymark / plaintext", "Waymark request p50 / p99", "Waymark events per log commit", "benchmark process CPU, Waymark · inserts",
            "PostgreSQL CPU, Waymark · inserts");
        foreach (var result in results)
        {
            var waymark = Median(result.Waymark, r => r.EventsPerSecond);
            var baseline = Median(result.Baseline, r => r.EventsPerSecond);
            var requests = waymark / settings.BatchSize;
            var plaintext = Median(result.Plaintext, r => r.EventsPerSecond);
            Line(text, $"| {result.Name} | {waymark:N0} | {baseline:N0} | {Ratio(waymark / baseline)} | " +
                $"{requests:N0} | {plaintext:N0} | {requests / plaintext:0.000} | " +
                $"{Percentiles(Median(result.Waymark, r => r.LatencyP50Ms), Median(result.Waymark, r => r.LatencyP99Ms))} ms | " +
                $"{Median(result.Waymark, r => (double)r.Events / Math.Max(1, r.LogCommits)):N0} | " +
                $"{Cores(result.Waymark, r => r.Cpu.Process)} · {Cores(result.Baseline, r => r.Cpu.Process)} | " +
                $"{Cores(result.Waymark, r => r.Cpu.Postgres)} · {Cores(result.Baseline, r => r.Cpu.Postgres)} |");
        }

        Line(text);
        Line(text, $"CPU is in cores (of {Environment.ProcessorCount}), median over the runs; the benchmark process holds the gateway, " +
            "its silo and the load drivers (and SQLite's inserts; pgbench is a process of its own, not counted). Every run:");
        Line(text);
        TableHeader(text, "database", "run", "Waymark events/s", "single-row inserts/s", "Kestrel plaintext requests/s");
        foreach (var result in results)
        {
            for (var run = 0; run < result.Waymark.Count; run++)
            {
                Line(text, $"| {result.Name} | {run + 1} | {result.Waymark[run].EventsPerSecond:N0} | {result.Baseline[run].EventsPerSecond:N0} | {result.Plaintext[run].EventsPerSecond:N0} |");
            }
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<LoadResult> runs, Func<LoadResult, double> value) => Stats.Median(runs.Select(value));

    /// <summary>The median CPU of the runs; "n/a" if a run lacks it (PostgreSQL's on SQLite).</summary>
    private static string Cores(IReadOnlyList<LoadResult> runs, Func<LoadResult, double?> value) =>
        BenchReport.Cores(runs.All(r => value(r) is not null) ? Median(runs, r => value(r)!.Value) : null);
}
