using System.Text.Json;
using Waymark.Drills.Common;

namespace Waymark.Drills.Crash;

/// <summary>One check of the drill: what it proves, whether it held, and every departure from it, in words.</summary>
public sealed record CheckResult(string Name, string Proves, IReadOnlyList<string> Problems, string Figures)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>Everything the drill saw, as the checks read it.</summary>
public sealed record DrillObservation(
    LoadPlan Plan,
    IReadOnlyCollection<Acknowledged> Acknowledged,
    IReadOnlyList<CrashWindow> Crashes,
    IReadOnlyDictionary<string, CustomerState> Customers,
    IReadOnlyList<WebhookDelivery> Deliveries,
    JsonElement Stats,
    IReadOnlyList<PendingWakeUp> WakeUps);

/// <summary>
/// The drill's checks, from the product contract's guarantees (shared/spec/README.md): acknowledged means durable; no
/// lost step and no second message, delivery at least once only across a crash; waits durable and timely; counts add up.
/// Pure: they read the <see cref="DrillObservation"/> only.
/// </summary>
public static class DrillChecks
{
    /// <summary>The timer wheel's reminder period: after a restart a wake-up due meanwhile fires at most this late (spec: "one reminder period").</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The wake-up tag of a customer's outbox, and how far ahead a dispatch waiting on a slow channel schedules the outbox wake-up that stands in for its own.</summary>
    private const string OutboxTag = "outbox";

    private static readonly TimeSpan StandInAhead = TimeSpan.FromMinutes(1);

    public static IReadOnlyList<CheckResult> Run(DrillObservation seen) =>
        [History(seen), OneMessageIdPerSend(seen), RedeliveriesOnlyAcrossCrashes(seen), Positions(seen), Counts(seen)];

    /// <summary>(a) Every acknowledged event is in its customer's history exactly once, and nothing else is.</summary>
    public static CheckResult History(DrillObservation seen)
    {
        var problems = new List<string>();
        var acknowledgedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var call in seen.Acknowledged)
        {
            foreach (var e in call.Request.Events)
            {
                acknowledgedAt[e.MessageId] = call.AcknowledgedAt;
            }
        }

        var planned = seen.Plan.Events.ToDictionary(e => e.MessageId, StringComparer.Ordinal);
        problems.AddRange(planned.Keys.Where(id => !acknowledgedAt.ContainsKey(id)).Select(id => $"event {id} was never acknowledged"));
        foreach (var e in planned.Values.Where(e => acknowledgedAt.ContainsKey(e.MessageId)))
        {
            var state = seen.Customers[e.Customer];
            var found = state.Of("event").Where(i => i.MessageId == e.MessageId).ToList();
            if (found.Count != 1 || found[0].Name != e.Name)
            {
                problems.Add($"{e.Customer}: acknowledged event {e.MessageId} ({e.Name}) is in its history {found.Count} times: {state.Describe()}");
            }
            else if (found[0].At > acknowledgedAt[e.MessageId])
            {
                problems.Add($"{e.Customer}: event {e.MessageId} was received at {found[0].At:O}, after it was acknowledged at {acknowledgedAt[e.MessageId]:O}");
            }
        }

        foreach (var state in seen.Customers.Values)
        {
            problems.AddRange(state.Of("event").Where(i => i.MessageId is null || !planned.ContainsKey(i.MessageId))
                .Select(i => $"{state.Customer}: an event nobody sent is in its history: {i}"));
        }

        var events = acknowledgedAt.Count;
        return new CheckResult(
            "(a) acknowledged events are in history once", "acknowledged means durable; a retried messageId applies once", problems,
            $"{events:N0} events in {seen.Acknowledged.Count:N0} calls acknowledged, {seen.Acknowledged.Count(a => a.Request.Twice):N0} calls sent twice");
    }

    /// <summary>(b) Each send step of each run has one message id: in the history, at the receiver, and in the payload it rendered.</summary>
    public static CheckResult OneMessageIdPerSend(DrillObservation seen)
    {
        var problems = new List<string>();
        var recorded = new Dictionary<(string Customer, string Node), HashSet<string>>();
        foreach (var state in seen.Customers.Values)
        {
            foreach (var message in state.Of("message"))
            {
                Ids(recorded, (state.Customer, message.Node ?? "?")).Add(message.MessageId ?? "(none)");
            }
        }

        var delivered = new Dictionary<(string Customer, string Node), HashSet<string>>();
        foreach (var delivery in seen.Deliveries)
        {
            if (delivery.SignatureValid is not true)
            {
                problems.Add($"a delivery of {delivery.MessageId} at {delivery.At:O} is not signed with the channel's secret");
            }

            if (delivery.MessageId is null || delivery.MessageId != delivery.PayloadMessageId || delivery.Customer is null || delivery.Node is null)
            {
                problems.Add($"a delivery at {delivery.At:O} has message id {delivery.MessageId ?? "(none)"} but its payload says {delivery.Customer}/{delivery.Node}/{delivery.PayloadMessageId}");
                continue;
            }

            Ids(delivered, (delivery.Customer, delivery.Node)).Add(delivery.MessageId);
        }

        foreach (var (step, ids) in recorded.Where(s => s.Value.Count != 1))
        {
            problems.Add($"{step.Customer}: send step {step.Node} has {ids.Count} message ids in its history: {string.Join(", ", ids)}");
        }

        foreach (var (step, ids) in delivered)
        {
            if (ids.Count != 1)
            {
                problems.Add($"{step.Customer}: send step {step.Node} reached the receiver under {ids.Count} message ids: {string.Join(", ", ids)}");
            }
            else if (!recorded.TryGetValue(step, out var history) || !history.SetEquals(ids))
            {
                problems.Add($"{step.Customer}: send step {step.Node} reached the receiver as {ids.Single()}, its history says {(history is null ? "nothing" : string.Join(", ", history))}");
            }
        }

        var accepted = seen.Deliveries.Where(d => d.Accepted).Select(d => d.MessageId).ToHashSet(StringComparer.Ordinal);
        foreach (var state in seen.Customers.Values)
        {
            foreach (var answer in state.Answers)
            {
                if (answer.Status != "sent")
                {
                    problems.Add($"{state.Customer}: message {answer.MessageId} at {answer.Node} is recorded {answer.Status}, not sent");
                }
                else if (!accepted.Contains(answer.MessageId))
                {
                    problems.Add($"{state.Customer}: message {answer.MessageId} at {answer.Node} is recorded sent, but the receiver never took it");
                }
            }
        }

        var sent = seen.Customers.Values.SelectMany(s => s.Answers).Where(a => a.Status == "sent").Select(a => a.MessageId).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(accepted.Where(id => !sent.Contains(id)).Select(id => $"message {id} was taken by the receiver but is not recorded sent"));
        return new CheckResult(
            "(b) one message id per send step", "one send step produces one message id, across restarts, crashes and retries", problems,
            $"{recorded.Count:N0} send steps, {accepted.Count:N0} message ids taken by the receiver, {seen.Deliveries.Count:N0} requests");
    }

    /// <summary>
    /// (c) A message id reaches the receiver more than once only across a crash: between two deliveries it took, the
    /// gateway was killed; and never after Waymark recorded it sent.
    /// </summary>
    public static CheckResult RedeliveriesOnlyAcrossCrashes(DrillObservation seen)
    {
        var problems = new List<string>();
        var recordedAt = seen.Customers.Values.SelectMany(s => s.Answers).Where(a => a.MessageId is not null)
            .GroupBy(a => a.MessageId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(a => a.At), StringComparer.Ordinal);
        // How long before its kill a redelivered message had been taken: the time Waymark took to record the answer, at most.
        var exposed = new List<TimeSpan>();
        foreach (var id in seen.Deliveries.Where(d => d.Accepted && d.MessageId is not null).GroupBy(d => d.MessageId!, StringComparer.Ordinal))
        {
            var times = id.Select(d => d.At).Order().ToList();
            for (var i = 1; i < times.Count; i++)
            {
                if (seen.Crashes.FirstOrDefault(c => c.Between(times[i - 1], times[i])) is { } crash)
                {
                    exposed.Add(crash.DeadAt - times[i - 1]);
                }
                else
                {
                    problems.Add($"message {id.Key} was taken at {times[i - 1]:O} and again at {times[i]:O} with no kill in between");
                }
            }

            if (recordedAt.TryGetValue(id.Key, out var recorded) && times[^1] > recorded)
            {
                problems.Add($"message {id.Key} was delivered at {times[^1]:O}, after Waymark recorded it at {recorded:O}");
            }
        }

        var refused = seen.Deliveries.Count(d => d.Status == 503);
        var redelivered = seen.Deliveries.Where(d => d.Accepted).GroupBy(d => d.MessageId).Where(g => g.Count() > 1).ToList();
        exposed.Sort();
        return new CheckResult(
            "(c) redeliveries only across a crash", "at least once: the same id again only after a crash between acceptance and record", problems,
            $"{redelivered.Sum(g => g.Count() - 1)} redeliveries of {redelivered.Count} message ids"
            + (exposed.Count == 0 ? "" : $", taken a median {Ms(exposed[exposed.Count / 2])} (at most {Ms(exposed[^1])}) before their kill")
            + $"; {refused} first attempts refused 503 and retried");
    }

    /// <summary>
    /// (d) Each customer is where its events and the clock put it: entered once; moved along the journey's path and no
    /// other; the waitEvent decided by the confirmations it received in time; no wait ended early or later than the
    /// spec allows; the API shows the position; and the timer wheel holds exactly the wake-ups of the runs still waiting.
    /// </summary>
    public static CheckResult Positions(DrillObservation seen)
    {
        var problems = new List<string>();
        var lateness = new Lateness();
        var waiting = new Dictionary<string, (string EntryId, DateTimeOffset Due)>(StringComparer.Ordinal);
        foreach (var state in seen.Customers.Values)
        {
            var found = Position(state, seen.Crashes, lateness, out var stillWaiting);
            problems.AddRange(found.Select(p => $"{state.Customer}: {p}\n    history: {state.Describe()}"));
            if (stillWaiting is { } wait)
            {
                waiting[state.Customer] = wait;
            }
        }

        // A dispatch that waited on a slow channel leaves an outbox wake-up a minute ahead, standing in for its own
        // should the silo die before the answers are recorded; once they are, it wakes the customer for nothing.
        var answeredAt = seen.Customers.Values.ToDictionary(s => s.Customer, s => s.Answers.Select(a => a.At).DefaultIfEmpty().Max(), StringComparer.Ordinal);
        var standIns = seen.WakeUps.Where(w => w.Tag == OutboxTag && answeredAt.TryGetValue(Customer(w.Target), out var at) && w.Due <= at + StandInAhead).ToHashSet();
        var byCustomer = seen.WakeUps.Except(standIns).ToLookup(w => Customer(w.Target), StringComparer.Ordinal);
        foreach (var (customer, wait) in waiting)
        {
            var rows = byCustomer[customer].ToList();
            if (rows.Count != 1 || rows[0].Tag != wait.EntryId || (rows[0].Due - wait.Due).Duration() > TimeSpan.FromMilliseconds(1))
            {
                problems.Add($"{customer}: waits at {DrillJourney.Later} until {wait.Due:O}, but the timer wheel holds {Describe(rows)}");
            }
        }

        problems.AddRange(seen.WakeUps.Except(standIns).Where(w => !waiting.ContainsKey(Customer(w.Target)))
            .Select(w => $"a wake-up is pending for a run that waits for nothing: {w.Target} {w.Tag} due {w.Due:O}"));

        var steady = lateness.Steady.Order().ToList();
        var restarted = lateness.AfterRestart.Order().ToList();
        var inTime = steady.Count == 0 ? 1 : steady.Count(l => l <= TimeSpan.FromSeconds(1)) / (double)steady.Count;
        return new CheckResult(
            "(d) every customer is where its events and the clock say", "no lost step; waits durable, never early, at most one reminder period late after a restart", problems,
            $"{waiting.Count:N0} customers waiting at {DrillJourney.Later}, {seen.Customers.Count - waiting.Count:N0} exited; wake-ups with no kill between due and firing: "
            + (steady.Count == 0 ? "none" : $"{inTime:P1} within 1 s, p50 {Ms(steady[steady.Count / 2])}, p99 {Ms(steady[(int)(steady.Count * 0.99)])}, max {Ms(steady[^1])}")
            + "; due while the gateway was down: "
            + (restarted.Count == 0 ? "none" : $"{restarted.Count:N0}, fired a median {Ms(restarted[restarted.Count / 2])} and at most {Ms(restarted[^1])} after the restart was ready (negative: before)"));
    }

    /// <summary>(e) Every node's counts add up, and are exactly what the customers' histories say.</summary>
    public static CheckResult Counts(DrillObservation seen)
    {
        var problems = new List<string>();
        var expected = ExpectedCounts(seen.Customers.Values);
        var nodes = seen.Stats.GetProperty("nodes");
        foreach (var node in nodes.EnumerateObject())
        {
            var counted = NodeCount.Read(node.Value);
            if (counted.Entered != counted.Current + counted.MovedOn + counted.Exited.Values.Sum())
            {
                problems.Add($"node {node.Name}: entered {counted.Entered} ≠ current {counted.Current} + movedOn {counted.MovedOn} + exited {counted.Exited.Values.Sum()}");
            }

            var logged = expected.GetValueOrDefault(node.Name, NodeCount.Zero);
            if (!counted.Equals(logged))
            {
                problems.Add($"node {node.Name}: the stats say {counted}, the histories say {logged}");
            }
        }

        problems.AddRange(expected.Keys.Where(n => !nodes.TryGetProperty(n, out _)).Select(n => $"node {n} is missing from the stats"));
        foreach (var (node, sent) in ExpectedSent(seen.Customers.Values))
        {
            if (Sent(seen.Stats, node) != sent)
            {
                problems.Add($"send node {node}: the stats count {Sent(seen.Stats, node)} sent, the histories {sent}");
            }
        }

        return new CheckResult(
            "(e) every node's counts add up", "for every node entered = still here + moved on + exited here, and no crash loses a count", problems,
            string.Join(", ", expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value.Entered}/{e.Value.Current}/{e.Value.MovedOn}/{e.Value.Exited.Values.Sum()}"))
            + " (entered/here/moved on/exited)");
    }

    /// <summary>The counts the histories and positions imply: an entry or a move's arrival enters a node, a move leaves one, an exit ends there.</summary>
    public static Dictionary<string, NodeCount> ExpectedCounts(IEnumerable<CustomerState> customers)
    {
        var counts = new Dictionary<string, NodeCount>(StringComparer.Ordinal);
        void Add(string? node, Func<NodeCount, NodeCount> change)
        {
            if (node is not null)
            {
                counts[node] = change(counts.GetValueOrDefault(node, NodeCount.Zero));
            }
        }

        foreach (var state in customers)
        {
            foreach (var item in state.Timeline.Where(i => i.Journey == DrillJourney.Id))
            {
                switch (item.Kind)
                {
                    case "entered":
                        Add(item.Node, c => c with { Entered = c.Entered + 1 });
                        break;
                    case "moved":
                        Add(item.From, c => c with { MovedOn = c.MovedOn + 1 });
                        Add(item.To, c => c with { Entered = c.Entered + 1 });
                        break;
                    case "exited":
                        Add(item.Node, c => c.Exit(item.Reason ?? "?"));
                        break;
                }
            }

            foreach (var run in state.Runs.Where(r => r.Journey == DrillJourney.Id))
            {
                Add(run.Node, c => c with { Current = c.Current + 1 });
            }
        }

        return counts;
    }

    /// <summary>Messages recorded sent per send node, as the histories say.</summary>
    public static Dictionary<string, long> ExpectedSent(IEnumerable<CustomerState> customers)
    {
        var all = customers.ToList();
        return DrillJourney.SendNodes.ToDictionary(node => node, node => (long)all.Sum(s => s.Answers.Count(a => a.Node == node && a.Status == "sent")), StringComparer.Ordinal);
    }

    /// <summary>Whether the stats show exactly the node counts and sent messages the histories imply (the flush lags about a second).</summary>
    public static bool StatsMatch(JsonElement stats, IReadOnlyCollection<CustomerState> customers) =>
        ExpectedCounts(customers).All(e => stats.GetProperty("nodes").TryGetProperty(e.Key, out var node) && NodeCount.Read(node).Equals(e.Value))
        && ExpectedSent(customers).All(e => Sent(stats, e.Key) == e.Value);

    /// <summary>The messages the stats count sent at a send node.</summary>
    private static long Sent(JsonElement stats, string node) =>
        stats.TryGetProperty("messages", out var messages) && messages.TryGetProperty(node, out var m) ? m.GetProperty("all").GetProperty("sent").GetInt64() : 0;

    /// <summary>What is wrong with one customer's path and place; <paramref name="waiting"/> is its run still waiting at <c>later</c>, if it is.</summary>
    private static List<string> Position(CustomerState state, IReadOnlyList<CrashWindow> crashes, Lateness lateness, out (string EntryId, DateTimeOffset Due)? waiting)
    {
        waiting = null;
        var problems = new List<string>();
        var entries = state.Of("entered").ToList();
        if (entries.Count != 1 || entries[0].Journey != DrillJourney.Id || entries[0].Node != DrillJourney.Pause)
        {
            problems.Add($"expected one entry into {DrillJourney.Id} at {DrillJourney.Pause}, found {entries.Count}");
            return problems;
        }

        var entered = entries[0];
        var trigger = state.Of("event").FirstOrDefault(e => e.Name == DrillJourney.Trigger);
        if (trigger is null || entered.At < trigger.At)
        {
            problems.Add($"entered at {entered.At:O}, before its trigger was received ({trigger?.At:O})");
        }

        var moves = state.Of("moved").ToList();
        var reached = moves.FirstOrDefault(m => m.From == DrillJourney.Hello && m.To == DrillJourney.Confirm)?.At;
        var expected = DrillJourney.Expect(entered.At, reached, state.Of("event").Where(e => e.Name == DrillJourney.Confirmation).Select(e => e.At));
        var path = DrillJourney.Moves(expected.Branch ?? DrillJourney.Nudge);
        var taken = moves.Select(m => (m.From, m.To, m.Reason)).ToList();
        if (expected.Branch is null || !taken.SequenceEqual(path.Select(p => ((string?)p.From, (string?)p.To, (string?)p.Reason))))
        {
            problems.Add($"expected the moves {string.Join(" ", path.Select(p => $"{p.From}→{p.To} ({p.Reason})"))}"
                + (expected.Confirmed is { } c ? $" (confirmed at {c:O})" : expected.Timeout is { } t ? $" (no confirmation before the timeout at {t:O})" : "")
                + $", found {string.Join(" ", taken.Select(m => $"{m.From}→{m.To} ({m.Reason})"))}");
            return problems;
        }

        var woke = moves[0].At;
        var decided = moves[2].At;
        Timely("the 2 s wait", expected.PauseDue, woke, crashes, lateness, problems);
        if (expected.Branch == DrillJourney.Nudge)
        {
            Timely("the waitEvent's timeout", expected.Timeout!.Value, decided, crashes, lateness, problems);
        }
        else if (decided < expected.Confirmed)
        {
            problems.Add($"moved on by the confirmation at {decided:O}, before it was received at {expected.Confirmed:O}");
        }

        var answers = state.Answers.Select(a => a.Node).Order(StringComparer.Ordinal).ToList();
        if (!answers.SequenceEqual(new[] { DrillJourney.Hello, expected.Branch }.Order(StringComparer.Ordinal)))
        {
            problems.Add($"expected one answer for {DrillJourney.Hello} and one for {expected.Branch}, found {string.Join(", ", answers)}");
        }

        var exits = state.Of("exited").ToList();
        var runs = state.Runs.Where(r => r.Journey == DrillJourney.Id).ToList();
        if (expected.Branch == DrillJourney.Thanks)
        {
            if (exits.Count != 0 || runs.Count != 1 || runs[0].Node != DrillJourney.Later || runs[0].EntryId != entered.EntryId)
            {
                problems.Add($"expected to wait at {DrillJourney.Later}; exits {exits.Count}, active runs: {string.Join(", ", runs)}");
            }
            else
            {
                waiting = (entered.EntryId!, moves[3].At + DrillJourney.LaterFor);
            }
        }
        else if (exits.Count != 1 || exits[0].Node != DrillJourney.Done || exits[0].Reason != "exit_node" || runs.Count != 0)
        {
            problems.Add($"expected one exit at {DrillJourney.Done} (exit_node) and no active run; exits: {string.Join(", ", exits)}, active runs: {string.Join(", ", runs)}");
        }

        return problems;
    }

    /// <summary>
    /// A wait's step is never early, and at most one reminder period late after the last restart that came between its due
    /// time and its firing (after its due time, with no kill in between). How late it was goes to the figures.
    /// </summary>
    private static void Timely(string what, DateTimeOffset due, DateTimeOffset fired, IReadOnlyList<CrashWindow> crashes, Lateness lateness, List<string> problems)
    {
        if (fired < due)
        {
            problems.Add($"{what} ended at {fired:O}, early: it was due at {due:O}");
            return;
        }

        var restarts = crashes.Where(c => c.ReadyAt >= due && c.KilledAt <= fired).ToList();
        var from = restarts.Count == 0 ? due : restarts.Max(c => c.ReadyAt);
        (restarts.Count == 0 ? lateness.Steady : lateness.AfterRestart).Add(fired - from);
        var allowed = from + ReminderPeriod;
        if (fired > allowed)
        {
            problems.Add($"{what} was due at {due:O} and ended at {fired:O}, later than {allowed:O}");
        }
    }

    /// <summary>How late the waits ended: with no kill between due and firing (after the due time), and across a restart (after the restart was ready).</summary>
    private sealed class Lateness
    {
        public List<TimeSpan> Steady { get; } = [];

        public List<TimeSpan> AfterRestart { get; } = [];
    }

    private static HashSet<string> Ids(Dictionary<(string, string), HashSet<string>> ids, (string, string) step) =>
        ids.TryGetValue(step, out var set) ? set : ids[step] = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The customer a wake-up's target names: <c>customer/{workspace}/u:{userId}</c>.</summary>
    private static string Customer(string target) => target[(target.IndexOf("/u:", StringComparison.Ordinal) + 3)..];

    private static string Describe(List<PendingWakeUp> rows) =>
        rows.Count == 0 ? "none" : string.Join(", ", rows.Select(r => $"{r.Tag} due {r.Due:O}"));

    private static string Ms(TimeSpan span) => $"{span.TotalMilliseconds:N0} ms";
}

/// <summary>One node's counts, as the stats show them and as the histories imply them.</summary>
public sealed record NodeCount(long Entered, long Current, long MovedOn, IReadOnlyDictionary<string, long> Exited)
{
    public static NodeCount Zero { get; } = new(0, 0, 0, new Dictionary<string, long>(StringComparer.Ordinal));

    public static NodeCount Read(JsonElement node) => new(
        node.GetProperty("entered").GetInt64(),
        node.GetProperty("current").GetInt64(),
        node.GetProperty("movedOn").GetInt64(),
        node.GetProperty("exited").EnumerateObject().Where(e => e.Value.GetInt64() != 0).ToDictionary(e => e.Name, e => e.Value.GetInt64(), StringComparer.Ordinal));

    public NodeCount Exit(string reason) =>
        this with { Exited = new Dictionary<string, long>(Exited, StringComparer.Ordinal) { [reason] = Exited.GetValueOrDefault(reason) + 1 } };

    public bool Equals(NodeCount? other) =>
        other is not null && Entered == other.Entered && Current == other.Current && MovedOn == other.MovedOn
        && Exited.Count == other.Exited.Count && Exited.All(e => other.Exited.TryGetValue(e.Key, out var n) && n == e.Value);

    public override int GetHashCode() => HashCode.Combine(Entered, Current, MovedOn, Exited.Count);

    public override string ToString() =>
        $"entered {Entered}, current {Current}, movedOn {MovedOn}, exited {{{string.Join(", ", Exited.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"))}}}";
}
