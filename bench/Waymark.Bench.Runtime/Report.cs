using System.Globalization;
using System.Text;
using Waymark.Bench.Common;
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
        Heading(text, "Runtime benchmark", "Waymark.Bench.Runtime");
        Line(text, "- **What**: the journey runtime end to end, in this process: the real gateway and its embedded silo on Kestrel " +
            "(loopback HTTP) and the timer wheel's defaults (8 shards, 250 ms poll). The journey: an event trigger → `update` (sets a " +
            "trait) → `condition` (reads it) → `wait` (until a time the event carries) → `send` (in-app, to the customer's inbox) → " +
            "`exit`. A node step is a run's arrival at a node (`entered` in `/stats`): three in the round of the triggering event, " +
            "two in the round of the wake-up; the message is recorded by a third round, the outbox's wake-up.");
        Line(text, $"- **How**: {RunsEach(settings.Runs)} on a gateway of its own" +
            (settings.Runs == 1 ? "" : " (started once the one before has stopped, over the same database, with customers and a journey of its own)") +
            " and made of every phase below in turn, its baseline run right after its " +
            "capacity load so that a drift of the machine touches both alike. The tables give the median of each figure over the runs " +
            "(each percentile's median, not a percentile of all customers), and *with messages / baseline* the ratio of their medians; " +
            "every run's figures are listed at the end.");
        Line(text, $"- **Entering**: {burst + spread:N0} new customers, one `track` event each in `POST /v1/batch` of {settings.BatchSize}, " +
            $"{settings.Concurrency} requests in flight; an answer means the events and their rounds are committed. The {burst:N0} of the burst, " +
            $"entered first, wait until the same instant a day ahead; the {spread:N0} of the spread, entered 10 s later, until instants " +
            $"spread evenly over {Seconds(settings.Window)} an hour after it.");
        Line(text, $"- **Memory per waiting customer**: the managed heap (live objects, after full compacting collections) and the process's " +
            $"working set with all {burst + spread:N0} waiting and their grains active, less the same before they entered, over the " +
            $"customers; then the burst's {burst:N0} grains are deactivated (Orleans does that after 15 idle minutes; here forced by " +
            "their idle time), each saving its snapshot, and a collected customer costs what an active one does less what its " +
            "collection gave back. The per-customer costs are then scaled to 1,000,000 waiting customers, from the process before the " +
            "first run's customers entered.");
        Line(text, $"- **Capacity**: Waymark's business clock moves a day on, so the {burst:N0} waits of the burst are due at once, and every " +
            "wake-up activates its customer again (snapshot and log read), as after a real day's wait. *While stepping*: median of the " +
            "post-wait steps of each whole second, from the times of the wake-up rounds in the customer log. The wheel wakes in due " +
            "order, so the sends' outbox wake-ups (due when their round ran) come after all the waits: *with messages* is every " +
            "post-wait step over the time to the last message recorded, all the work those steps cause.");
        Line(text, $"- **Lateness**: the clock moves to just before the window, with all {spread:N0} of its customers waiting (their grains " +
            $"active: they entered a minute or two before, and Orleans collects after 15 idle minutes): {spread / settings.Window.TotalSeconds:N0} " +
            "wake-ups a second. Lateness is from the due time to the wake-up's round (the `moved` item's time in the log) and to the " +
            "message's record.");
        Line(text, $"- **Baseline**, in the same run on the same database: `SqlCustomerLog`'s group-committed append alone, with no " +
            "grain, wheel, engine or channel: per customer the two appends the runtime makes after a wait — the wake-up's round (the " +
            "same log entries as a real customer's, its outbox wake-up and 5 count changes) and then the message's record — with " +
            $"{RuntimeLoad.WakeUpsInFlight} customers in flight, as many as the wheel wakes at once; {Seconds(settings.BaselineTime)} right after " +
            "each capacity load. *Steps/s* counts two per customer, so *with messages / baseline* is the share of the log's own capacity " +
            "the runtime reaches once it does everything else a step needs.");
        Circumstances(text, results.Select(r => (r.Name, r.Description)), RuntimeBenchmark.Command, args);

        TableHeader(
            text, "database", "entering: steps/s (customers/s)", "capacity while stepping: steps/s", "capacity with messages: steps/s",
            "baseline: steps/s", "with messages / baseline", "log appends per commit, capacity · baseline", "CPU cores in capacity, process · PostgreSQL");
        foreach (var r in results)
        {
            var sustained = r.Median(run => run.Capacity.SustainedStepsPerSecond);
            var baseline = r.Median(run => run.Baseline.StepsPerSecond);
            Line(text, $"| {r.Name} | {r.Median(run => run.Entering.StepsPerSecond):N0} ({r.Median(run => run.Entering.EventsPerSecond):N0}) | " +
                $"{r.Median(run => run.Capacity.PeakStepsPerSecond):N0} | {sustained:N0} | {baseline:N0} | {Ratio(sustained / baseline)} | " +
                $"{r.Median(run => run.Capacity.AppendsPerCommit):N0} · {r.Median(run => run.Baseline.AppendsPerCommit):N0} | " +
                $"{Cores(r.Median(run => run.Capacity.Use.Cpu.Process))} · {Cores(r.OnPostgres ? r.MedianOrNull(run => run.Capacity.Use.Cpu.Postgres) : null)} |");
        }

        Line(text);
        TableHeader(
            text, "database", "lateness load: offered steps/s", "wake-up lateness p50 / p99 / max", "message lateness p50 / p99 / max",
            "capacity load: wake-up lateness p50 / p99 / max");
        foreach (var r in results)
        {
            Line(text, $"| {r.Name} | {r.Median(run => run.Lateness.OfferedStepsPerSecond):N0} | {Latency(r, run => run.Lateness.WakeUps)} | " +
                $"{Latency(r, run => run.Lateness.Messages)} | {Latency(r, run => run.Capacity.WakeUps)} |");
        }

        Line(text);
        TableHeader(
            text, "database", "first run, before entering: heap · working set", "per waiting customer, active: heap · working set",
            "per waiting customer, idle: heap · working set", "collecting the burst: customers/s", "1,000,000 waiting, idle: heap · working set");
        foreach (var r in results)
        {
            Line(text, $"| {r.Name} | {MiB(r.Before.HeapBytes)} · {MiB(r.Before.WorkingSetBytes)} MiB | " +
                $"{Bytes(r.Median(run => run.Memory.HeapPerActive))} · {Bytes(r.Median(run => run.Memory.WorkingSetPerActive))} | " +
                $"{Bytes(r.Median(run => run.Memory.HeapPerIdle))} · {Bytes(r.Median(run => run.Memory.WorkingSetPerIdle))} | " +
                $"{r.Median(run => run.Memory.DeactivationsPerSecond):N0} | {GiB(IdleHeap(r))} · {GiB(IdleWorkingSet(r))} GiB |");
        }

        Line(text);
        Line(text, "Each run's gateway is disposed of before the next starts, in this process, and what a disposed gateway leaves rooted " +
            "(its OpenTelemetry metric points and Orleans directory cache) is in the next run's heap before entering (every run's is " +
            "listed below). The per-customer figures are differences within one gateway's life and do not carry it; the 1,000,000 " +
            "figures start from the database's first run" +
            (results.Count > 1 && results[^1].Before.HeapBytes - results[0].Before.HeapBytes > 20 * 1024 * 1024
                ? $", which for {results[^1].Name}, measured after {results[0].Name}, holds {MiB(results[^1].Before.HeapBytes - results[0].Before.HeapBytes)} MiB more heap."
                : "."));
        Line(text);
        Line(text, $"Lateness in milliseconds. CPU in cores of {Environment.ProcessorCount}, over the capacity load; the benchmark process " +
            "holds the gateway, its silo and the load driver. Everything shares the machine.");
        Line(text);
        AgainstTheCompass(text, $"{GoalStepsPerSecond:N0} steps/s and {GoalWaiting:N0} waiting customers on 2 cores in 2 GB", results.Select(Standing));
        WhatLimitsIt(
            text,
            "these runs show it",
            "medians over the runs",
            results.Select(Limit).Concat(results.SelectMany(r => r.Runs.SelectMany((run, i) => run.Notes.Select(note => $"{r.Name}, run {i + 1}: {note}")))));
        Runs(text, results);
        return text.ToString();
    }

    /// <summary>Where a database stands against the goal of issue 6.</summary>
    private static string Standing(DatabaseResult r)
    {
        var sustained = r.Median(run => run.Capacity.SustainedStepsPerSecond);
        var idleSet = IdleWorkingSet(r);
        var activeSet = r.Before.WorkingSetBytes + (GoalWaiting * r.Median(run => run.Memory.WorkingSetPerActive));
        return $"{r.Name}: {sustained:N0} steps/s with messages, {Percent(sustained / GoalStepsPerSecond)} of the goal " +
            $"({r.Median(run => run.Capacity.PeakStepsPerSecond):N0} while stepping, {r.Median(run => run.Entering.StepsPerSecond):N0} entering); " +
            $"{GoalWaiting:N0} waiting customers would take about {GiB(idleSet)} GiB of working set once idle " +
            $"({Percent(idleSet / GoalBytes)} of 2 GiB), {GiB(activeSet)} GiB if their grains were all active.";
    }

    /// <summary>What a database's runs show about the limit: CPU, blocked threads, group commit, the runtime's complaints.</summary>
    private static string Limit(DatabaseResult r)
    {
        var process = r.Median(run => run.Capacity.Use.Cpu.Process);
        var postgres = r.OnPostgres ? r.MedianOrNull(run => run.Capacity.Use.Cpu.Postgres) : null;
        return $"{r.Name}: over the capacity load the machine was {MachineBusy(process, postgres, machine: null)}, the thread pool grew to " +
            $"{r.Median(run => run.Capacity.Use.MaxThreads):N0} threads, and the log committed {r.Median(run => run.Capacity.AppendsPerCommit):N0} " +
            $"appends per transaction against {r.Median(run => run.Baseline.AppendsPerCommit):N0} in the baseline. {Complaints(r)}";
    }

    /// <summary>What the gateways logged over every run, by kind and phase.</summary>
    private static string Complaints(DatabaseResult r) => BenchReport.Complaints(
        "The gateways",
        r.Runs.Count,
        kinds: 4,
        r.Runs.SelectMany(run => new (string Name, PhaseUse Use)[]
        {
            ("entering", run.Entering.Burst), ("entering", run.Entering.Spread), ("idle collection", run.Memory.Collection),
            ("capacity", run.Capacity.Use), ("lateness", run.Lateness.Use),
        }));

    private static void Runs(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, "Every run:");
        Line(text);
        TableHeader(
            text, "database", "run", "entering: steps/s", "capacity, while stepping · with messages: steps/s", "baseline: steps/s (appends per commit)",
            "with messages / baseline", "lateness p50 / p99, wake-up · message", "per waiting customer, active · idle: heap", "before entering: heap");
        foreach (var r in results)
        {
            for (var run = 0; run < r.Runs.Count; run++)
            {
                var (c, b, l, m) = (r.Runs[run].Capacity, r.Runs[run].Baseline, r.Runs[run].Lateness, r.Runs[run].Memory);
                Line(text, $"| {r.Name} | {run + 1} | {r.Runs[run].Entering.StepsPerSecond:N0} | {c.PeakStepsPerSecond:N0} · {c.SustainedStepsPerSecond:N0} | " +
                    $"{b.StepsPerSecond:N0} ({b.AppendsPerCommit:N0}) | {Ratio(c.SustainedStepsPerSecond / b.StepsPerSecond)} | " +
                    $"{Percentiles(l.WakeUps.P50, l.WakeUps.P99)} · {Percentiles(l.Messages.P50, l.Messages.P99)} | {Bytes(m.HeapPerActive)} · {Bytes(m.HeapPerIdle)} | {MiB(m.Before.HeapBytes)} MiB |");
            }
        }
    }

    /// <summary>The process before the first run, with the median idle customer's cost a million times.</summary>
    private static double IdleHeap(DatabaseResult r) => r.Before.HeapBytes + (GoalWaiting * r.Median(run => run.Memory.HeapPerIdle));

    private static double IdleWorkingSet(DatabaseResult r) => r.Before.WorkingSetBytes + (GoalWaiting * r.Median(run => run.Memory.WorkingSetPerIdle));

    private static string Latency(DatabaseResult r, Func<RunResult, Lateness> of) =>
        Percentiles(r.Median(run => of(run).P50), r.Median(run => of(run).P99), r.Median(run => of(run).Max));

    private static string Bytes(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:N0} B");

    private static string MiB(double bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture);

    private static string GiB(double bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);
}
