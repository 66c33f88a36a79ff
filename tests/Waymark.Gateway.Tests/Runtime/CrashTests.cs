using System.Globalization;
using System.Text.Json;
using Waymark.Drills.Common;
using Waymark.Drills.Crash;
using Waymark.Gateway.Tests.Segments;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>
/// The crash drill of issue 9 (<c>drills/Waymark.Drills.Crash</c>), reduced to fit CI: the same code as the full drill's
/// command, with 3 kills and 300 customers over a load of about 50 s. On PostgreSQL, the gateway (hosting its silo) runs
/// as a child process under a steady load of events that drive customers through waits, a waitEvent with a timeout and
/// webhook sends to a loopback receiver, and is killed with SIGKILL at random moments and started again; afterwards
/// every acknowledged event is in its customer's history once, each send step has one message id, a redelivery happened
/// only across a kill, every customer is where its events and the clock say, and every node's counts add up. It shares
/// the segment drills' collection: each drill takes both cores for minutes, so they run one after the other.
/// Set <c>WAYMARK_CRASH_SEED</c> to replay a failed run's load and kill moments (the seed is in the test output).
/// </summary>
[Trait("Database", "PostgreSQL")]
[Collection(SegmentDrill.Collection)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Customers_resume_after_hard_kills_under_load_with_no_step_skipped_and_no_second_message_on_postgres()
    {
        var options = new CrashDrillOptions
        {
            Kills = 3,
            Customers = 300,
            MaxUptime = TimeSpan.FromSeconds(6),
            SettleWithin = TimeSpan.FromMinutes(2),
        };
        if (Environment.GetEnvironmentVariable("WAYMARK_CRASH_SEED") is { Length: > 0 } seed)
        {
            options = options with { Seed = int.Parse(seed, CultureInfo.InvariantCulture) };
        }

        var report = await CrashDrill.RunAsync(options, typeof(Program).Assembly.Location, output.WriteLine);

        Assert.True(report.Passed, $"the crash drill failed (set WAYMARK_CRASH_SEED={options.Seed} to replay):\n{report}");
        output.WriteLine(report.ToString());
    }

    // The drill passes only if its checks can fail: each fact below plants one defect in an otherwise sound observation
    // of one customer (confirmed in time, so sent hello and thanks, and waiting the day out at later).

    [Fact]
    public void The_checks_pass_a_sound_run()
    {
        var failed = DrillChecks.Run(Sound()).Where(c => !c.Passed).ToList();

        Assert.True(failed.Count == 0, string.Join("\n", failed.SelectMany(c => c.Problems)));
    }

    [Fact]
    public void An_acknowledged_event_missing_from_history_fails_the_history_check()
    {
        var seen = Sound();
        var lost = Customer(seen) with { Timeline = [.. Customer(seen).Timeline.Where(i => i.MessageId != "c-1-confirm")] };

        Assert.False(DrillChecks.History(seen with { Customers = Only(lost) }).Passed);
    }

    [Fact]
    public void A_send_step_delivered_under_a_second_message_id_fails_the_message_id_check()
    {
        var seen = Sound();
        var again = new WebhookDelivery(At(2.6), 200, "m-hello-2", true, "c-1", DrillJourney.Hello, "m-hello-2");

        Assert.False(DrillChecks.OneMessageIdPerSend(seen with { Deliveries = [.. seen.Deliveries, again] }).Passed);
    }

    [Fact]
    public void A_redelivery_is_allowed_only_across_a_kill()
    {
        var seen = Sound();
        var redelivered = seen with { Deliveries = [.. seen.Deliveries, seen.Deliveries[0] with { At = At(2.45) }] };
        var killed = new CrashWindow(1, At(2.42), At(2.43), At(2.44), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10), DuringStart: false);

        Assert.False(DrillChecks.RedeliveriesOnlyAcrossCrashes(redelivered).Passed);
        Assert.True(DrillChecks.RedeliveriesOnlyAcrossCrashes(redelivered with { Crashes = [killed] }).Passed);
    }

    [Fact]
    public void A_timeout_taken_although_the_confirmation_came_in_time_fails_the_position_check()
    {
        var seen = Sound();
        var timeline = Customer(seen).Timeline.Select(i => i is { Kind: "moved", From: DrillJourney.Confirm }
            ? i with { To = DrillJourney.Nudge, Reason = "timeout" }
            : i).ToList();

        Assert.False(DrillChecks.Positions(seen with { Customers = Only(Customer(seen) with { Timeline = timeline }) }).Passed);
    }

    [Fact]
    public void A_wait_that_ends_early_fails_the_position_check()
    {
        var seen = Sound();
        var timeline = Customer(seen).Timeline.Select(i => i is { Kind: "moved", From: DrillJourney.Pause } ? i with { At = At(1.5) } : i).ToList();

        Assert.False(DrillChecks.Positions(seen with { Customers = Only(Customer(seen) with { Timeline = timeline }) }).Passed);
    }

    [Fact]
    public void A_lost_count_fails_the_counts_check()
    {
        var seen = Sound();

        Assert.False(DrillChecks.Counts(seen with { Stats = Stats(laterCurrent: 0) }).Passed);
    }

    private static DateTimeOffset At(double seconds) => Start + TimeSpan.FromSeconds(seconds);

    private static CustomerState Customer(DrillObservation seen) => seen.Customers["c-1"];

    private static Dictionary<string, CustomerState> Only(CustomerState state) => new(StringComparer.Ordinal) { [state.Customer] = state };

    /// <summary>One customer's sound run: triggered at 0 s, the 2 s wait ended at 2.2 s, confirmed at 3 s, waiting at later since.</summary>
    private static DrillObservation Sound()
    {
        var started = new PlannedEvent("c-1", "c-1-start", DrillJourney.Trigger, TimeSpan.Zero);
        var confirmed = new PlannedEvent("c-1", "c-1-confirm", DrillJourney.Confirmation, TimeSpan.FromSeconds(3));
        PlannedRequest[] requests = [new(TimeSpan.Zero, [started], Twice: false), new(TimeSpan.FromSeconds(3), [confirmed], Twice: false)];
        TimelineItem Item(double at, string kind, string? node = null, string? from = null, string? to = null, string? reason = null, string? messageId = null, string? name = null) =>
            new(At(at), kind, name, messageId, kind == "event" ? null : DrillJourney.Id, "e-1", node, from, to, reason, kind == "message" ? "sent" : null);
        var customer = new CustomerState("c-1",
            [
                Item(0, "event", messageId: "c-1-start", name: DrillJourney.Trigger),
                Item(0.01, "entered", node: DrillJourney.Pause),
                Item(2.2, "moved", from: DrillJourney.Pause, to: DrillJourney.Hello, reason: "next"),
                Item(2.2, "moved", from: DrillJourney.Hello, to: DrillJourney.Confirm, reason: "next"),
                Item(2.5, "message", node: DrillJourney.Hello, messageId: "m-hello"),
                Item(3, "event", messageId: "c-1-confirm", name: DrillJourney.Confirmation),
                Item(3.01, "moved", from: DrillJourney.Confirm, to: DrillJourney.Thanks, reason: "event"),
                Item(3.01, "moved", from: DrillJourney.Thanks, to: DrillJourney.Later, reason: "next"),
                Item(3.3, "message", node: DrillJourney.Thanks, messageId: "m-thanks"),
            ],
            [new ActiveRun(DrillJourney.Id, "e-1", DrillJourney.Later, At(3.01))]);
        return new DrillObservation(
            new LoadPlan(["c-1"], requests),
            [new Acknowledged(requests[0], At(0), At(0.05), 1), new Acknowledged(requests[1], At(3), At(3.05), 1)],
            [],
            Only(customer),
            [
                new WebhookDelivery(At(2.4), 200, "m-hello", true, "c-1", DrillJourney.Hello, "m-hello"),
                new WebhookDelivery(At(3.2), 200, "m-thanks", true, "c-1", DrillJourney.Thanks, "m-thanks"),
            ],
            Stats(laterCurrent: 1),
            [new PendingWakeUp("customer/default/u:c-1", "e-1", At(3.01) + DrillJourney.LaterFor)]);
    }

    /// <summary>The stats of the sound run, with the count of runs at later as given.</summary>
    private static JsonElement Stats(int laterCurrent) => JsonDocument.Parse($$"""
        {
          "nodes": {
            "pause": { "entered": 1, "current": 0, "movedOn": 1, "exited": {} },
            "hello": { "entered": 1, "current": 0, "movedOn": 1, "exited": {} },
            "confirm": { "entered": 1, "current": 0, "movedOn": 1, "exited": {} },
            "thanks": { "entered": 1, "current": 0, "movedOn": 1, "exited": {} },
            "later": { "entered": 1, "current": {{laterCurrent}}, "movedOn": 0, "exited": {} },
            "nudge": { "entered": 0, "current": 0, "movedOn": 0, "exited": {} },
            "done": { "entered": 0, "current": 0, "movedOn": 0, "exited": {} }
          },
          "messages": {
            "hello": { "all": { "sent": 1 } },
            "thanks": { "all": { "sent": 1 } },
            "nudge": { "all": { "sent": 0 } }
          }
        }
        """).RootElement.Clone();
}
