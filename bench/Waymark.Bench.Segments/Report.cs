using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
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
        Line(text, "# Segments benchmark");
        Line(text);
        Line(text, "Written by `bench/Waymark.Bench.Segments` (see `bench/README.md`); run the command below to refresh it.");
        Line(text);
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
        Line(text);

        Line(text, $"| database | pace | rounds | backfill: time to ready | customers/s | / baseline | / compass ({GoalBackfillPerSecond:N0}/s) | " +
            "broadcast: members/s (at → statistics) | in the log (at → last entry) | / baseline | / compass " +
            $"({GoalBroadcastPerSecond:N0}/s) |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
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
        Line(text, $"| database | baseline: customers/s ({SegmentsLoad.BaselineInFlight} in flight) | appends per commit | " +
            $"with {SegmentsLoad.GrainConcurrency} in flight | ingestion: customers/s | backfill: CPU cores, process · PostgreSQL | " +
            "broadcast: CPU cores, process · PostgreSQL | backfill: appends per log commit | most thread-pool threads, backfill · broadcast |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
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
        Compass(text, results);
        Limits(text, results);
        Runs(text, results);
        return text.ToString();
    }

    private static void Compass(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, $"**Against the compass** ({GoalCustomers:N0} customers backfilled in 2 minutes, a broadcast to {GoalCustomers:N0} members in 60 s):");
        Line(text);
        foreach (var r in results)
        {
            var parts = r.Paces.Select(p =>
                $"at {p.Pace:N0}/s a backfill of {GoalCustomers:N0} would take {Minutes(GoalCustomers / p.BackfillPerSecond)} " +
                $"({Percent(p.BackfillPerSecond / GoalBackfillPerSecond)} of the goal's rate) and the broadcast " +
                $"{Minutes(GoalCustomers / p.BroadcastPerSecond)} ({Percent(p.BroadcastPerSecond / GoalBroadcastPerSecond)})");
            Line(text, $"- {r.Name}: {string.Join("; ", parts)}. The log alone appends for {r.BaselinePerSecond:N0} customers/s " +
                $"({Minutes(GoalCustomers / r.BaselinePerSecond)} for {GoalCustomers:N0}).");
        }

        Line(text);
    }

    /// <summary>What the run shows about the limit: how busy the machine was, the pace, and the runtime's complaints.</summary>
    private static void Limits(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, "**What limits it**, as this run shows it (`bench/README.md` explains the mechanisms):");
        Line(text);
        foreach (var r in results)
        {
            foreach (var p in r.Paces.Select(p => p.Typical))
            {
                var (b, c) = (p.Backfill, p.Broadcast);
                Line(text, $"- {r.Name} at {p.Pace:N0}/s: the backfill {OfThePace(b.CustomersPerSecond, p.Pace)}, " +
                    $"{Machine(r, b.Use)}, the thread pool grew to {b.Use.MaxThreads} threads, and {b.Activated:N0} customer grains were " +
                    $"still active once it was ready; the broadcast {OfThePace(c.MembersPerSecond, p.Pace)}, " +
                    $"{Machine(r, c.Use)}, its first entry {c.FirstEntry.TotalMilliseconds:N0} ms after `at`. " +
                    Complaints(p));
            }
        }

        foreach (var note in results.SelectMany(r => r.Notes.Select(note => $"{r.Name}: {note}")))
        {
            Line(text, $"- {note}");
        }

        Line(text);
    }

    /// <summary>How near a rate came to the pace; the ceiling pace is there never to be reached, so it is not compared.</summary>
    private static string OfThePace(double perSecond, int pace) =>
        pace == BenchSettings.CeilingPace ? "ran unpaced" : $"reached {Percent(perSecond / pace)} of the pace";

    /// <summary>How busy the machine was over a phase, and with what: this process, PostgreSQL, anything else.</summary>
    private static string Machine(DatabaseResult r, PhaseUse use)
    {
        var cpu = use.Cpu;
        var postgres = r.OnPostgres ? cpu.Postgres : null;
        var ours = cpu.Process + (postgres ?? 0);
        var machine = cpu.Machine ?? ours;
        return $"the machine {Percent(machine / Environment.ProcessorCount)} busy ({Cores(cpu.Process)} cores in this process" +
            $"{(postgres is { } p ? $", {Cores(p)} in PostgreSQL" : "")}, {Cores(Math.Max(0, machine - ours))} in other processes)";
    }

    private static string Complaints(PaceResult p)
    {
        var said = new (string Phase, PhaseUse Use)[] { ("backfill", p.Backfill.Use), ("broadcast", p.Broadcast.Use) }
            .SelectMany(x => x.Use.Logs.Select(l => (x.Phase, Log: l))).ToList();
        if (said.Count == 0)
        {
            return "The gateway logged no warning or error.";
        }

        var parts = said
            .GroupBy(s => (s.Log.Level, s.Log.Category, s.Log.EventId))
            .OrderByDescending(g => g.Sum(s => s.Log.Count))
            .Take(3)
            .Select(g => $"{g.Sum(s => s.Log.Count):N0} × {(g.Key.Level >= LogLevel.Error ? "error" : "warning")} `{Short(g.Key.Category)}` " +
                $"({string.Join(", ", g.Select(s => $"{s.Log.Count:N0} {s.Phase}"))}), e.g. “{Shorten(g.First().Log.First)}”");
        return $"The gateway logged {string.Join("; ", parts)}.";
    }

    private static void Runs(StringBuilder text, IReadOnlyList<DatabaseResult> results)
    {
        Line(text, "Every round:");
        Line(text);
        Line(text, "| database | pace | round | backfill: customers/s | broadcast: members/s | in the log |");
        Line(text, "|---|---:|---:|---:|---:|---:|");
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
        Line(text, "| database | run | in flight | customers/s | appends per commit |");
        Line(text, "|---|---:|---:|---:|---:|");
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

    private static string Short(string category) => category[(category.LastIndexOf('.') + 1)..];

    private static string Shorten(string message)
    {
        // Orleans names the activation at length ("[Activation: S127.0.0.1:…#GrainType=…]"): its grain class is enough.
        var line = System.Text.RegularExpressions.Regex.Replace(
            message.ReplaceLineEndings(" "), @"\[Activation: [^\]]*GrainType=([^, \]]+)[^\]]*\]", "[$1]");
        return line.Length <= 160 ? line : line[..157] + "…";
    }

    private static string Minutes(double seconds) => seconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min");

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0%", CultureInfo.InvariantCulture);

    private static string Cores(double? value) => value is { } cores ? cores.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
