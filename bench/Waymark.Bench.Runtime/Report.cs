using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using static Waymark.Bench.Common.BenchReport;

namespace Waymark.Bench.Runtime;

/// <summary>The markdown report, a section of <c>docs/benchmarks.md</c> of its own.</summary>
internal static class Report
{
    private const double GoalStepsPerSecond = 10_000;
    private const int GoalWaiting = 1_000_000;
    private const double GoalBytes = 2.0 * 1024 * 1024 * 1024;

    public static string Markdown(BenchSettings settings, string[] args, IReadOnlyList<DatabaseResult> results)
    {
        var (burst, spread) = (settings.Burst, settings.Customers);
        var text = new StringBuilder();
        Line(text, "# Runtime benchmark");
        Line(text);
        Line(text, "Written by `bench/Waymark.Bench.Runtime` (see `bench/README.md`); run the command below to refresh it.");
        Line(text);
        Line(text, "- **What**: the journey runtime end to end, in this process: the real gateway and its embedded silo on Kestrel " +
            "(loopback HTTP) and the timer wheel's defaults (8 shards, 250 ms poll). The journey: an event trigger → `update` (sets a " +
            "trait) → `condition` (reads it) → `wait` (until a time the event carries) → `send` (in-app, to the customer's inbox) → " +
            "`exit`. A node step is a run's arrival at a node (`entered` in `/stats`): three in the round of the triggering event, " +
            "two in the round of the wake-up; the message is recorded by a third round, the outbox's wake-up.");
        Line(text, $"- **Entering**: {burst + spread:N0} new customers, one `track` event each in `POST /v1/batch` of {settings.BatchSize}, " +
            $"{settings.Concurrency} requests in flight; an answer means the events and their rounds are committed. The {burst:N0} of the burst, " +
            $"entered first, wait until the same instant a day ahead; the {spread:N0} of the spread, entered 10 s later, until instants " +
            $"spread evenly over {Seconds(settings.Window)} an hour after it.");
        Line(text, $"- **Memory per waiting customer**: the managed heap (live objects, after full compacting collections) and the process's " +
            $"working set with all {burst + spread:N0} waiting and their grains active, less the same before they entered, over the " +
            $"customers; then the burst's {burst:N0} grains are deactivated (Orleans does that after 15 idle minutes; here forced by " +
            "their idle time), each saving its snapshot, and a collected customer costs what an active one does less what its " +
            "collection gave back. The per-customer costs are then scaled to 1,000,000 waiting customers.");
        Line(text, $"- **Capacity**: Waymark's business clock moves a day on, so the {burst:N0} waits of the burst are due at once, and every " +
            "wake-up activates its customer again (snapshot and log read), as after a real day's wait. *While stepping*: median of the " +
            "post-wait steps of each whole second, from the times of the wake-up rounds in the customer log. The wheel wakes in due " +
            "order, so the sends' outbox wake-ups (due when their round ran) come after all the waits: *with messages* is every " +
            "post-wait step over the time to the last message recorded, all the work those steps cause.");
        Line(text, $"- **Lateness**: the clock moves to just before the window, with all {spread:N0} of its customers waiting (their grains " +
            $"active: they entered minutes before, and Orleans collects after 15 idle minutes): {spread / settings.Window.TotalSeconds:N0} wake-ups a second. Lateness is from the due time " +
            "to the wake-up's round (the `moved` item's time in the log) and to the message's record.");
        Line(text, $"- **Baseline**, in the same run on the same database: `SqlCustomerLog`'s group-committed append alone, with no " +
            "grain, wheel, engine or channel: per customer the two appends the runtime makes after a wait — the wake-up's round (the " +
            "same log entries as a real customer's, its outbox wake-up and 5 count changes) and then the message's record — with " +
            $"{RuntimeLoad.WakeUpsInFlight} customers in flight, as many as the wheel wakes at once; {settings.Runs} run{(settings.Runs == 1 ? "" : "s")} of " +
            $"{Seconds(settings.BaselineTime)}, median. *Steps/s* counts two per customer, so *with messages / baseline* is the share of " +
            "the log's own capacity the runtime reaches once it does everything else a step needs.");
        Circumstances(text, results.Select(r => (r.Name, r.Description)), RuntimeBenchmark.Command, args);
        Line(text);

        Line(text, "| database | entering: steps/s (customers/s) | capacity while stepping: steps/s | capacity with messages: steps/s | baseline: steps/s | with messages / baseline | log appends per commit, capacity · baseline | CPU cores in capacity, process · PostgreSQL |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var c = r.Capacity;
            Line(text, $"| {r.Name} | {r.Entering.StepsPerSecond:N0} ({r.Entering.EventsPerSecond:N0}) | {c.PeakStepsPerSecond:N0} | " +
                $"{c.SustainedStepsPerSecond:N0} | {r.BaselineStepsPerSecond:N0} | {Ratio(c.SustainedStepsPerSecond / r.BaselineStepsPerSecond)} | " +
                $"{c.AppendsPerCommit:N0} · {Stats.Median(r.Baseline.Select(b => b.AppendsPerCommit)):N0} | {Cores(c.Use.Cpu.Process)} · {Cores(r.OnPostgres ? c.Use.Cpu.Postgres : null)} |");
        }

        Line(text);
        Line(text, "| database | lateness load: offered steps/s | wake-up lateness p50 / p99 / max | message lateness p50 / p99 / max | capacity load: wake-up lateness p50 / p99 / max |");
        Line(text, "|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(text, $"| {r.Name} | {r.Lateness.OfferedStepsPerSecond:N0} | {Latency(r.Lateness.WakeUps)} | {Latency(r.Lateness.Messages)} | {Latency(r.Capacity.WakeUps)} |");
        }

        Line(text);
        Line(text, "| database | before entering: heap · working set | per waiting customer, active: heap · working set | per waiting customer, idle: heap · working set | collecting the burst: customers/s | 1,000,000 waiting, idle: heap · working set |");
        Line(text, "|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var m = r.Memory;
            Line(text, $"| {r.Name} | {MiB(m.Before.HeapBytes)} · {MiB(m.Before.WorkingSetBytes)} MiB | {Bytes(m.HeapPerActive)} · {Bytes(m.WorkingSetPerActive)} | " +
                $"{Bytes(m.HeapPerIdle)} · {Bytes(m.WorkingSetPerIdle)} | {m.DeactivationsPerSecond:N0} | " +
                $"{GiB(m.Before.HeapBytes + (GoalWaiting * m.HeapPerIdle))} · {GiB(m.Before.WorkingSetBytes + (GoalWaiting * m.WorkingSetPerIdle))} GiB |");
        }

        if (results.Count > 1 && results[^1].Memory.Before.HeapBytes - results[0].Memory.Before.HeapBytes > 20 * 1024 * 1024)
        {
            Line(text);
            Line(text, $"{results[^1].Name} is measured in the same process after {results[0].Name}: before entering, its heap still held " +
                $"{MiB(results[^1].Memory.Before.HeapBytes - results[0].Memory.Before.HeapBytes)} MiB more, what the first gateway left rooted " +
                "after it was disposed (its OpenTelemetry metric points and Orleans directory cache). The per-customer figures are " +
                "differences within one gateway's life; the 1,000,000 figures carry that extra.");
        }

        Line(text);
        Line(text, $"Lateness in milliseconds. CPU in cores of {Environment.ProcessorCount}, over the capacity load; the benchmark process " +
            "holds the gateway, its silo and the load driver. Everything shares the machine.");
        Line(text);
        Compass(text, results);
        Limits(text, results);
        Runs(text, results);
        return text.ToString();
    }

    /// <summary>Where each database stands against the goal of issue 6.</summary>
    private static void Compass(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, $"**Against the compass** ({GoalStepsPerSecond:N0} steps/s and {GoalWaiting:N0} waiting customers on 2 cores in 2 GB):");
        Line(text);
        foreach (var r in results)
        {
            var m = r.Memory;
            var idleSet = m.Before.WorkingSetBytes + (GoalWaiting * m.WorkingSetPerIdle);
            var activeSet = m.Before.WorkingSetBytes + (GoalWaiting * m.WorkingSetPerActive);
            Line(text, $"- {r.Name}: {r.Capacity.SustainedStepsPerSecond:N0} steps/s with messages, {Percent(r.Capacity.SustainedStepsPerSecond / GoalStepsPerSecond)} " +
                $"of the goal ({r.Capacity.PeakStepsPerSecond:N0} while stepping, {r.Entering.StepsPerSecond:N0} entering); " +
                $"{GoalWaiting:N0} waiting customers would take about {GiB(idleSet)} GiB of working set once idle " +
                $"({Percent(idleSet / GoalBytes)} of 2 GiB), {GiB(activeSet)} GiB if their grains were all active.");
        }

        Line(text);
    }

    /// <summary>What the run shows about the limit: CPU, blocked threads, group commit, the runtime's complaints.</summary>
    private static void Limits(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, "**What limits it**, as this run shows it (`bench/README.md` explains the mechanisms):");
        Line(text);
        foreach (var r in results)
        {
            var c = r.Capacity.Use;
            var postgres = r.OnPostgres ? c.Cpu.Postgres : null;
            var busy = c.Cpu.Process + (postgres ?? 0);
            Line(text, $"- {r.Name}: over the capacity load the machine was {Percent(busy / Environment.ProcessorCount)} busy " +
                $"({Cores(c.Cpu.Process)} cores in this process{(postgres is { } p ? $", {Cores(p)} in PostgreSQL" : "")}), the thread pool grew to " +
                $"{c.MaxThreads} threads, and the log committed {r.Capacity.AppendsPerCommit:N0} appends per transaction against " +
                $"{Stats.Median(r.Baseline.Select(b => b.AppendsPerCommit)):N0} in the baseline. {Complaints(r)}");
        }

        foreach (var note in results.SelectMany(r => r.Notes.Select(note => $"{r.Name}: {note}")))
        {
            Line(text, $"- {note}");
        }

        Line(text);
    }

    private static string Complaints(DatabaseResult r)
    {
        var phases = new (string Name, PhaseUse Use)[]
        {
            ("entering", r.Entering.Burst), ("entering", r.Entering.Spread), ("idle collection", r.Memory.Collection), ("capacity", r.Capacity.Use), ("lateness", r.Lateness.Use),
        };
        var said = phases.SelectMany(p => p.Use.Logs.Select(l => (Phase: p.Name, Log: l))).ToList();
        if (said.Count == 0)
        {
            return "The gateway logged no warning or error.";
        }

        var parts = said
            .GroupBy(s => (s.Log.Level, s.Log.Category, s.Log.EventId))
            .OrderByDescending(g => g.Sum(s => s.Log.Count))
            .Take(4)
            .Select(g => $"{g.Sum(s => s.Log.Count):N0} × {(g.Key.Level >= LogLevel.Error ? "error" : "warning")} `{Short(g.Key.Category)}` " +
                $"({string.Join(", ", g.Select(s => $"{s.Log.Count:N0} {s.Phase}"))}), e.g. “{Shorten(g.First().Log.First)}”");
        return $"The gateway logged {string.Join("; ", parts)}.";
    }

    private static void Runs(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, "Every baseline run:");
        Line(text);
        Line(text, "| database | run | customers/s | steps/s | appends per commit |");
        Line(text, "|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            for (var run = 0; run < r.Baseline.Count; run++)
            {
                var b = r.Baseline[run];
                Line(text, $"| {r.Name} | {run + 1} | {b.CustomersPerSecond:N0} | {b.StepsPerSecond:N0} | {b.AppendsPerCommit:N0} |");
            }
        }
    }

    private static string Short(string category) => category[(category.LastIndexOf('.') + 1)..];

    private static string Shorten(string message)
    {
        // Orleans names the activation at length ("[Activation: S127.0.0.1:…#GrainType=…]"): its grain class is enough.
        var line = System.Text.RegularExpressions.Regex.Replace(
            message.ReplaceLineEndings(" "), @"\[Activation: [^\]]*GrainType=([^, \]]+)[^\]]*\]", "[$1]");
        return line.Length <= 160 ? line : line[..157] + "…";
    }

    private static string Latency(Lateness l) => string.Create(CultureInfo.InvariantCulture, $"{l.P50:N0} / {l.P99:N0} / {l.Max:N0}");

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0%", CultureInfo.InvariantCulture);

    private static string Cores(double? value) => value is { } cores ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string Bytes(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:N0} B");

    private static string MiB(double bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture);

    private static string GiB(double bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);
}
