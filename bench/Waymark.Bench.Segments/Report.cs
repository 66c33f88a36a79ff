using System.Globalization;
using System.Text;
using Waymark.Bench.Common;
using static Waymark.Bench.Common.BenchReport;

namespace Waymark.Bench.Segments;

/// <summary>The markdown report, a section of <c>docs/benchmarks.md</c> of its own.</summary>
internal static class Report
{
    /// <summary>Issue 8's compass: 1,000,000 customers backfilled in 2 minutes, and a broadcast to 1,000,000 in 60 s, on 2 cores.</summary>
    private const double GoalCustomers = 1_000_000;
    private const double GoalBackfillPerSecond = GoalCustomers / 120;
    private const double GoalBroadcastPerSecond = GoalCustomers / 60;

    public static string Markdown(BenchSettings settings, string[] args, IReadOnlyList<DatabaseResult> results)
    {
        var text = new StringBuilder();
        var members = CustomerLoad.Selected(settings.Customers);
        Heading(text, "Segments benchmark", "Waymark.Bench.Segments");
        Line(text, $"- **What**: the segment runtime end to end, in this process: the real gateway and its embedded silo on Kestrel " +
            $"(loopback HTTP). {settings.Customers:N0} customers are ingested with traits (one `identify` each, `POST /v1/batch` of " +
            $"{settings.BatchSize}, {settings.Concurrency} requests in flight), the node is left to quieten and is restarted, so every " +
            "measurement finds the customers collected (each visit activates its customer: snapshot and log read). Each database is " +
            $"measured in {settings.Runs} round{(settings.Runs == 1 ? "" : "s")} at each pace, each a gateway of its own started with " +
            $"`Waymark:Segments:BackfillPerSecond` at {string.Join(", then ", settings.Paces.Select(Pace))}: the default is " +
            $"{BenchSettings.DefaultPace:N0}, and {BenchSettings.CeilingPace:N0} is high enough that the pace never waits, so those " +
            "rounds find the ceiling. Each round defines a segment and a journey of its own. Medians of the rounds; the CPU, threads " +
            "and complaints shown are the median round's (by backfill rate).");
        Line(text, $"- **Backfill**: `PUT /api/segments/{{id}}` of a new segment, `{{ \"trait\": \"{CustomerLoad.Trait}\", \"op\": \"eq\", \"value\": " +
            $"\"{CustomerLoad.SelectedTier}\" }}`, which every third customer matches ({members:N0}); timed from the `PUT` until " +
            "`GET /api/segments/{id}` says `status: ready` (polled every 250 ms). Customers/s is the registry's customers over that time.");
        Line(text, $"- **Broadcast**: then a journey is published with a `schedule` trigger on that segment, its `at` {Seconds(settings.Lead)} " +
            "ahead (whole seconds), `entry.reentry: always`, starting at a single `exit` node; timed from `at` until " +
            $"`GET /api/journeys/{{id}}/stats` counts `nodes.{SegmentsLoad.ExitNode}.entered` equal to the segment's count (polled every " +
            "250 ms; the statistics lag by their flush, about a second). *In the log*: from `at` to the last `entered` item's time, " +
            "each stamped by the round that enrolled its customer.");
        Line(text, $"- **Baseline**, in the same run on the same database, with no gateway running: `SqlCustomerLog`'s group-committed " +
            "append alone, one small append per customer as a backfill writes it (for every third customer the `segment` entry and its " +
            "member row in the same transaction, for the others the `segments_evaluated` entry, copied from real customers' logs), " +
            $"with {SegmentsLoad.BaselineInFlight} customers in flight; {settings.Runs} run{(settings.Runs == 1 ? "" : "s")} of " +
            $"{Seconds(settings.BaselineTime)}, median; and one run with {SegmentsLoad.GrainConcurrency} in flight, as many as a " +
            "backfill's or a broadcast's page calls at once. Every rate is also given as a ratio to it.");
        Line(text, $"- **Compass** (issue 8): 1,000,000 customers backfilled in 2 minutes ({GoalBackfillPerSecond:N0}/s) and a broadcast " +
            $"to 1,000,000 members in 60 s ({GoalBroadcastPerSecond:N0}/s), on 2 cores.");
        Circumstances(text, results.Select(r => (r.Name, r.Description)), SegmentsBenchmark.Command, args);

        TableHeader(
            text, "database", "pace", "rounds", "backfill: time to ready", "customers/s", "/ baseline", $"/ compass ({GoalBackfillPerSecond:N0}/s)",
            "broadcast: members/s (at → statistics)", "in the log (at → last entry)", "/ baseline", $"/ compass ({GoalBroadcastPerSecond:N0}/s)");
        foreach (var r in results)
        {
            foreach (var p in r.Paces)
            {
                Line(text, $"| {r.Name} | {p.Pace:N0}/s | {p.Runs.Count} | {Seconds(p.TimeToReady)} | {p.BackfillPerSecond:N0} | " +
                    $"{Ratio(p.BackfillPerSecond / r.BaselinePerSecond)} | {Ratio(p.BackfillPerSecond / GoalBackfillPerSecond)} | " +
                    $"{p.BroadcastPerSecond:N0} ({Seconds(p.BroadcastTime)}) | {p.BroadcastPerSecondInLog:N0} ({Seconds(p.LastEntry)}) | " +
                    $"{Ratio(p.BroadcastPerSecond / r.BaselinePerSecond)} | {Ratio(p.BroadcastPerSecond / GoalBroadcastPerSecond)} |");
            }
        }

        Line(text);
        TableHeader(
            text, "database", $"baseline: customers/s ({SegmentsLoad.BaselineInFlight} in flight)", "appends per commit",
            $"with {SegmentsLoad.GrainConcurrency} in flight", "ingestion: customers/s", "backfill: CPU cores, process · PostgreSQL",
            "broadcast: CPU cores, process · PostgreSQL", "backfill: appends per log commit", "most thread-pool threads, backfill · broadcast");
        foreach (var r in results)
        {
            foreach (var p in r.Paces.Select(p => p.Typical))
            {
                var (b, c) = (p.Backfill, p.Broadcast);
                Line(text, $"| {r.Name}, {p.Pace:N0}/s | {r.BaselinePerSecond:N0} | {r.BaselineAppendsPerCommit:N0} | " +
                    $"{r.BaselineAtBackfillConcurrency.CustomersPerSecond:N0} | {r.Ingest.CustomersPerSecond:N0} | " +
                    $"{Cores(b.Use.Cpu.Process)} · {Cores(r.OnPostgres ? b.Use.Cpu.Postgres : null)} | " +
                    $"{Cores(c.Use.Cpu.Process)} · {Cores(r.OnPostgres ? c.Use.Cpu.Postgres : null)} | " +
                    $"{b.Customers / (double)Math.Max(1, b.Use.Commits):N0} | {b.Use.MaxThreads} · {c.Use.MaxThreads} |");
            }
        }

        Line(text);
        Line(text, $"CPU in cores of {Environment.ProcessorCount}; the benchmark process holds the gateway, its silo and the load driver. " +
            "Everything shares the machine. A backfill appends once per customer (a changed membership, or the generation it was " +
            $"evaluated at), so appends per log commit show how much its {SegmentsLoad.GrainConcurrency} calls at a time let the group commit batch.");
        Line(text);
        AgainstTheCompass(
            text, $"{GoalCustomers:N0} customers backfilled in 2 minutes, a broadcast to {GoalCustomers:N0} members in 60 s", results.Select(Standing));
        WhatLimitsIt(
            text,
            "this run shows it",
            figures: null,
            results.SelectMany(r => r.Paces.Select(p => Limit(r, p.Typical))).Concat(results.SelectMany(r => r.Notes.Select(note => $"{r.Name}: {note}"))));
        Runs(text, results);
        return text.ToString();
    }

    /// <summary>How long each pace would take a goal-sized backfill and broadcast, beside the log's own rate.</summary>
    private static string Standing(DatabaseResult r)
    {
        var parts = r.Paces.Select(p =>
            $"at {p.Pace:N0}/s a backfill of {GoalCustomers:N0} would take {Minutes(GoalCustomers / p.BackfillPerSecond)} " +
            $"({Percent(p.BackfillPerSecond / GoalBackfillPerSecond)} of the goal's rate) and the broadcast " +
            $"{Minutes(GoalCustomers / p.BroadcastPerSecond)} ({Percent(p.BroadcastPerSecond / GoalBroadcastPerSecond)})");
        return $"{r.Name}: {string.Join("; ", parts)}. The log alone appends for {r.BaselinePerSecond:N0} customers/s " +
            $"({Minutes(GoalCustomers / r.BaselinePerSecond)} for {GoalCustomers:N0}).";
    }

    /// <summary>What a pace's typical round shows about the limit: how busy the machine was, the pace, and the runtime's
    /// complaints.</summary>
    private static string Limit(DatabaseResult r, PaceResult p)
    {
        var (b, c) = (p.Backfill, p.Broadcast);
        return $"{r.Name} at {p.Pace:N0}/s: the backfill {OfThePace(b.CustomersPerSecond, p.Pace)}, " +
            $"{Machine(r, b.Use)}, the thread pool grew to {b.Use.MaxThreads} threads, and {b.Activated:N0} customer grains were " +
            $"still active once it was ready; the broadcast {OfThePace(c.MembersPerSecond, p.Pace)}, " +
            $"{Machine(r, c.Use)}, its first entry {c.FirstEntry.TotalMilliseconds:N0} ms after `at`. " +
            Complaints("The gateway", runs: 1, kinds: 3, [("backfill", b.Use), ("broadcast", c.Use)]);
    }

    /// <summary>How near a rate came to the pace; the ceiling pace is there never to be reached, so it is not compared.</summary>
    private static string OfThePace(double perSecond, int pace) =>
        pace == BenchSettings.CeilingPace ? "ran unpaced" : $"reached {Percent(perSecond / pace)} of the pace";

    /// <summary>How busy the machine was over a phase; PostgreSQL's CPU only where it is the database measured.</summary>
    private static string Machine(DatabaseResult r, PhaseUse use) =>
        $"the machine {MachineBusy(use.Cpu.Process, r.OnPostgres ? use.Cpu.Postgres : null, use.Cpu.Machine)}";

    private static void Runs(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, "Every round:");
        Line(text);
        TableHeader(text, "database", "pace", "round", "backfill: customers/s", "broadcast: members/s", "in the log");
        foreach (var r in results)
        {
            foreach (var p in r.Paces)
            {
                foreach (var (run, i) in p.Runs.Select((run, i) => (run, i + 1)))
                {
                    Line(text, $"| {r.Name} | {p.Pace:N0}/s | {i} | {run.Backfill.CustomersPerSecond:N0} | {run.Broadcast.MembersPerSecond:N0} | {run.Broadcast.MembersPerSecondInLog:N0} |");
                }
            }
        }

        Line(text);
        Line(text, "Every baseline run:");
        Line(text);
        TableHeader(text, "database", "run", "in flight", "customers/s", "appends per commit");
        foreach (var r in results)
        {
            var runs = r.Baseline.Select((b, i) => (Run: (i + 1).ToString(CultureInfo.InvariantCulture), InFlight: SegmentsLoad.BaselineInFlight, b))
                .Append(("narrow", SegmentsLoad.GrainConcurrency, r.BaselineAtBackfillConcurrency));
            foreach (var (run, inFlight, b) in runs)
            {
                Line(text, $"| {r.Name} | {run} | {inFlight} | {b.CustomersPerSecond:N0} | {b.Customers / (double)Math.Max(1, b.Transactions):N0} |");
            }
        }
    }

    private static string Pace(int pace) => string.Create(CultureInfo.InvariantCulture, $"{pace:N0}{(pace == BenchSettings.DefaultPace ? " (the default)" : "")}");

    private static string Minutes(double seconds) => seconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min");
}
