using System.Globalization;
using System.Text;
using Waymark.Drills.Common;

namespace Waymark.Drills.Crash;

/// <summary>What one run of the drill did and found: its figures, its crash windows, each check's verdict, and the gateway's complaints.</summary>
public sealed class CrashDrillReport(CrashDrillOptions options, LoadPlan plan) : IDrillReport
{
    /// <summary>Problems listed per failed check; the rest are counted.</summary>
    private const int ProblemsShown = 10;

    public CrashDrillOptions Options { get; } = options;

    public LoadPlan Plan { get; } = plan;

    public TimeSpan FirstStart { get; set; }

    public List<CrashWindow> Crashes { get; } = [];

    /// <summary>Kills that came while calls of the load were still to be acknowledged.</summary>
    public int KillsUnderLoad => Observation is { } seen && seen.Acknowledged.Count > 0
        ? Crashes.Count(c => c.KilledAt < seen.Acknowledged.Max(a => a.AcknowledgedAt))
        : 0;

    public int Retried { get; set; }

    public IReadOnlyDictionary<string, int> Failures { get; set; } = new Dictionary<string, int>();

    /// <summary>From the drill's start until the last call was acknowledged.</summary>
    public TimeSpan LoadDone { get; set; }

    /// <summary>From the load's end until every customer had reached its place.</summary>
    public TimeSpan Settle { get; set; }

    public TimeSpan Elapsed { get; set; }

    public DrillObservation? Observation { get; set; }

    public IReadOnlyList<CheckResult> Checks { get; set; } = [];

    /// <summary>Why the drill could not finish (the gateway did not come back, the load was never acknowledged), if it could not.</summary>
    public string? Aborted { get; set; }

    public IReadOnlyList<(string Message, int Count)> GatewayWarnings { get; set; } = [];

    public string GatewayTail { get; set; } = "";

    public bool Passed => Aborted is null && Checks.Count > 0 && Checks.All(c => c.Passed);

    public string FailureSummary => Failures.Count == 0 ? "none failed" : string.Join(", ", Failures.OrderByDescending(f => f.Value).Select(f => $"{f.Key}: {f.Value:N0}"));

    public override string ToString()
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line($"Waymark crash drill: seed {Options.Seed} (replay: --seed {Options.Seed} --kills {Options.Kills} --customers {Options.Customers})");
        Line($"  kills                {Crashes.Count} of {Options.Kills}, SIGKILL of the gateway's process tree: {Crashes.Count(c => c.DuringStart)} during a restart, "
            + $"{KillsUnderLoad} while calls of the load were unacknowledged");
        Line($"  customers            {Options.Customers:N0}, load planned over {Options.EffectiveLoadDuration.TotalSeconds:F0} s, done {LoadDone.TotalSeconds:F1} s into the drill");
        if (Observation is { } seen)
        {
            var events = seen.Acknowledged.Sum(a => a.Request.Events.Count);
            var answered = seen.Acknowledged.Where(a => a.Attempts == 1).Select(a => a.AcknowledgedAt - a.SentAt).Order().ToList();
            Line($"  acknowledged         {events:N0} events in {seen.Acknowledged.Count:N0} calls; {Retried:N0} attempts failed and were retried ({FailureSummary})");
            if (answered.Count > 0)
            {
                Line($"  answered at once     {answered.Count:N0} calls, in a median {Seconds(answered[answered.Count / 2])}, p99 {Seconds(answered[(int)(answered.Count * 0.99)])}");
            }

        }

        Line($"  first start          ready after {FirstStart.TotalSeconds:F1} s");
        if (Crashes.Count > 0)
        {
            // Kills whose restart was killed share the start that got ready: count each start and each outage once.
            var outages = Crashes.GroupBy(c => c.ReadyAt).Select(g => (Restart: g.First().Restart, Down: g.Key - g.Min(c => c.KilledAt))).ToList();
            Line($"  restarts             {outages.Count} got ready, after {Seconds(outages.Min(o => o.Restart))} min, {Seconds(TimeSpan.FromTicks((long)outages.Average(o => o.Restart.Ticks)))} mean, "
                + $"{Seconds(outages.Max(o => o.Restart))} max; down {Seconds(TimeSpan.FromTicks(outages.Sum(o => o.Down.Ticks)))} in all");
            Line("  crash windows        (kill → ready again; what the kill interrupted, as the histories tell it afterwards)");
            foreach (var crash in Crashes)
            {
                Line($"    kill {crash.Number,2}  {crash.KilledAt:HH:mm:ss.fff} → {crash.ReadyAt:HH:mm:ss.fff} ({Seconds(crash.Down)} down; "
                    + $"{Seconds(crash.Uptime)} after {(crash.DuringStart ? "the restart began, before it was ready" : "it was ready")})"
                    + (Observation is { } o ? $": {Interrupted(crash, o)}" : ""));
            }
        }

        if (Observation is { } observed)
        {
            var accepted = observed.Deliveries.Where(d => d.Accepted).ToList();
            Line($"  webhook              {observed.Deliveries.Count:N0} requests, {accepted.Select(d => d.MessageId).Distinct().Count():N0} message ids taken, "
                + $"{accepted.Count - accepted.Select(d => d.MessageId).Distinct().Count():N0} redeliveries, {observed.Deliveries.Count(d => d.Status == 503):N0} refused 503 (retried)");
        }

        Line($"  settled              {Settle.TotalSeconds:F1} s after the load; the drill took {Elapsed.TotalSeconds:F1} s");
        Line();
        if (Aborted is not null)
        {
            Line($"ABORTED: {Aborted}");
        }

        foreach (var check in Checks)
        {
            Line($"{(check.Passed ? "PASS" : "FAIL")}  {check.Name}: {check.Figures}");
            if (!check.Passed)
            {
                Line($"      proves: {check.Proves}; {check.Problems.Count:N0} problems");
                foreach (var problem in check.Problems.Take(ProblemsShown))
                {
                    Line($"      - {problem}");
                }
            }
        }

        Line();
        Line($"gateway warnings and errors: {GatewayWarnings.Sum(w => w.Count):N0}");
        foreach (var (message, count) in GatewayWarnings.Take(12))
        {
            Line($"  {count,6:N0} × {(message.Length <= 300 ? message : message[..300] + "…")}");
        }

        if (!Passed)
        {
            Line();
            Line(GatewayTail);
        }

        Line();
        Line($"RESULT: {(Passed ? "PASS" : "FAIL")}");
        return text.ToString();
    }

    /// <summary>
    /// What was under way at a kill: calls sent and not yet answered, runs entered and not yet at their place, and sends
    /// decided (the move out of the send node is in the round that decided it) but not yet answered by the channel.
    /// </summary>
    private static string Interrupted(CrashWindow crash, DrillObservation seen)
    {
        var kill = crash.KilledAt;
        var calls = seen.Acknowledged.Count(a => a.SentAt < kill && a.AcknowledgedAt > kill);
        var (runs, sends) = (0, 0);
        foreach (var state in seen.Customers.Values)
        {
            var entered = state.Of("entered").FirstOrDefault()?.At;
            var placed = state.Of("exited").Concat(state.Of("moved").Where(m => m.To == DrillJourney.Later)).FirstOrDefault()?.At;
            runs += entered < kill && (placed is null || placed > kill) ? 1 : 0;
            foreach (var node in DrillJourney.SendNodes)
            {
                var decided = state.Of("moved").FirstOrDefault(m => m.From == node)?.At;
                var answered = state.Answers.FirstOrDefault(a => a.Node == node)?.At;
                sends += decided < kill && (answered is null || answered > kill) ? 1 : 0;
            }
        }

        return $"{calls} calls in flight, {runs} runs under way, {sends} sends unanswered";
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
}
