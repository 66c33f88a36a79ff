using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;

namespace Waymark.Engine.Tests.Journeys;

public sealed class EntryTests
{
    private static readonly string Nodes = """[ { "id": "done", "type": "exit" } ]""";

    private readonly RunDriver _customer = new(Of("done", Nodes));

    private static JourneyDefinition WithEntry(string entry) => Of("done", Nodes, entry: entry);

    private EntryVerdict Check(JourneyDefinition journey, TriggerInput trigger, EntryHistory? history = null, Instant? now = null) =>
        JourneyEntry.Check(journey, JourneyMode.Active, history ?? EntryHistory.None, trigger, _customer.Customer, now ?? T0);

    private EventTriggered Go(string properties = "{}", Instant? timestamp = null) => new(_customer.Event("go", properties, timestamp), T0);

    [Fact]
    public void The_trigger_event_enters_and_another_event_does_not()
    {
        var journey = Of("done", Nodes);

        Assert.Equal(EntryVerdict.Eligible, Check(journey, Go()));
        Assert.Equal(EntryVerdict.NotTriggered, Check(journey, new EventTriggered(_customer.Event("went"), T0)));
    }

    [Fact]
    public void The_trigger_where_reads_the_event_and_the_customer()
    {
        var journey = Of("done", Nodes, trigger: """
            { "type": "event", "event": "go", "where": { "all": [ { "property": "total", "op": "gte", "value": 100 }, { "trait": "country", "op": "eq", "value": "CN" } ] } }
            """);
        _customer.Traits["country"] = "CN";

        Assert.Equal(EntryVerdict.Eligible, Check(journey, Go("""{ "total": 100 }""")));
        Assert.Equal(EntryVerdict.NotTriggered, Check(journey, Go("""{ "total": 99 }""")));
        _customer.Traits["country"] = "DE";
        Assert.Equal(EntryVerdict.NotTriggered, Check(journey, Go("""{ "total": 100 }""")));
    }

    [Fact]
    public void An_event_stamped_more_than_24_hours_before_receipt_enters_nothing()
    {
        var journey = Of("done", Nodes);

        Assert.Equal(EntryVerdict.Backfill, Check(journey, Go(timestamp: T0 - Duration.FromHours(24) - Duration.FromSeconds(1))));
        Assert.Equal(EntryVerdict.Eligible, Check(journey, Go(timestamp: T0 - Duration.FromHours(24))));
    }

    [Fact]
    public void Each_trigger_kind_enters_only_its_own_journeys()
    {
        var byEvent = Of("done", Nodes);
        var byApi = Of("done", Nodes, trigger: """{ "type": "api" }""");
        var onEnter = Of("done", Nodes, trigger: """{ "type": "segment", "segment": "loyal", "on": "enter" }""");
        var onExitWithExisting = Of("done", Nodes, trigger: """{ "type": "segment", "segment": "loyal", "on": "exit", "includeExisting": true }""");
        var scheduled = Of("done", Nodes, trigger: """{ "type": "schedule", "segment": "loyal", "at": "2027-06-01T00:00:00Z" }""");

        Assert.Equal(EntryVerdict.Eligible, Check(byApi, new ApiEnrolled()));
        Assert.Equal(EntryVerdict.NotTriggered, Check(byEvent, new ApiEnrolled()));
        Assert.Equal(EntryVerdict.NotTriggered, Check(byApi, Go()));

        Assert.Equal(EntryVerdict.Eligible, Check(onEnter, new SegmentCrossed("loyal", SegmentTransition.Enter)));
        Assert.Equal(EntryVerdict.NotTriggered, Check(onEnter, new SegmentCrossed("loyal", SegmentTransition.Exit)));
        Assert.Equal(EntryVerdict.NotTriggered, Check(onEnter, new SegmentCrossed("diamond-vip", SegmentTransition.Enter)));
        Assert.Equal(EntryVerdict.NotTriggered, Check(onEnter, new MemberAtPublication("loyal")));
        Assert.Equal(EntryVerdict.Eligible, Check(onExitWithExisting, new MemberAtPublication("loyal")));
        Assert.Equal(EntryVerdict.Eligible, Check(onExitWithExisting, new SegmentCrossed("loyal", SegmentTransition.Exit)));

        Assert.Equal(EntryVerdict.Eligible, Check(scheduled, new ScheduleFired("loyal")));
        Assert.Equal(EntryVerdict.NotTriggered, Check(scheduled, new ScheduleFired("diamond-vip")));
        Assert.Equal(EntryVerdict.NotTriggered, Check(onEnter, new ScheduleFired("loyal")));
    }

    [Fact]
    public void Reentry_never_enters_a_customer_once()
    {
        var journey = WithEntry("""{ "reentry": "never" }""");

        Assert.Equal(EntryVerdict.Eligible, Check(journey, Go()));
        Assert.Equal(EntryVerdict.AlreadyEntered, Check(journey, Go(), new EntryHistory(0, T0 - Duration.FromDays(400), true)));
        Assert.Equal(EntryVerdict.AlreadyEntered, Check(Of("done", Nodes), Go(), new EntryHistory(1, T0, true)));
    }

    [Fact]
    public void Reentry_after_exit_enters_again_once_the_previous_run_ended()
    {
        var journey = WithEntry("""{ "reentry": "after_exit" }""");

        Assert.Equal(EntryVerdict.StillRunning, Check(journey, Go(), new EntryHistory(1, T0 - Duration.FromDays(1), true)));
        Assert.Equal(EntryVerdict.Eligible, Check(journey, Go(), new EntryHistory(0, T0 - Duration.FromDays(1), true)));
    }

    [Fact]
    public void Reentry_always_enters_alongside_running_runs()
    {
        Assert.Equal(EntryVerdict.Eligible, Check(WithEntry("""{ "reentry": "always" }"""), Go(), new EntryHistory(3, T0, true)));
    }

    [Fact]
    public void Cooldown_holds_off_entries_until_that_long_after_the_last_one()
    {
        var journey = WithEntry("""{ "reentry": "always", "cooldown": "P7D" }""");
        var lastWeek = new EntryHistory(1, T0 - Duration.FromDays(7), true);

        Assert.Equal(EntryVerdict.CoolingDown, Check(journey, Go(), lastWeek, T0 - Duration.FromSeconds(1)));
        Assert.Equal(EntryVerdict.Eligible, Check(journey, Go(), lastWeek, T0));
        Assert.Equal(EntryVerdict.CoolingDown, Check(WithEntry("""{ "reentry": "after_exit", "cooldown": "P7D" }"""), Go(), new EntryHistory(0, T0 - Duration.FromDays(6), true)));
    }

    [Fact]
    public void The_audience_limit_is_left_to_the_cluster_counter()
    {
        Assert.Equal(EntryVerdict.Eligible, Check(WithEntry("""{ "reentry": "always", "limit": 1 }"""), Go(), new EntryHistory(0, T0, true)));
    }

    [Fact]
    public void Start_puts_the_run_at_the_start_node_with_the_trigger_event_as_current_event()
    {
        var journey = Of("wait", """[ { "id": "wait", "type": "wait", "duration": "P1D", "next": "done" }, { "id": "done", "type": "exit" } ]""");
        var trigger = Go("""{ "orderId": "o-1" }""", T0 - Duration.FromMinutes(1));

        var run = JourneyEntry.Start("orders", journey, 4, "entry-1", trigger, T0);

        Assert.Equal(("orders", 4, "entry-1", "wait", T0, T0, RunHold.None), (run.JourneyId, run.Version, run.EntryId, run.Node, run.EnteredAt, run.NodeSince, run.Hold));
        Assert.Equal((null, null, null, false), (run.Due, run.Branch, run.Variant, run.GoalReached));
        Assert.Equal("""{"orderId":"o-1"}""", run.TriggerProperties.ToJsonString());
        Assert.Equal(("go", T0 - Duration.FromMinutes(1), """{"orderId":"o-1"}"""), (run.CurrentEvent?.Name, run.CurrentEvent?.Timestamp, run.CurrentEvent?.Properties.ToJsonString()));
    }

    [Fact]
    public void Start_copies_the_trigger_properties_so_the_run_never_changes_with_the_event()
    {
        var trigger = Go("""{ "orderId": "o-1" }""");

        var run = JourneyEntry.Start("orders", Of("done", Nodes), 1, "entry-1", trigger, T0);
        trigger.Event.Properties["orderId"] = "o-2";

        Assert.Equal("o-1", run.TriggerProperties["orderId"]?.GetValue<string>());
        Assert.Equal("o-1", run.CurrentEvent?.Properties["orderId"]?.GetValue<string>());
    }

    [Fact]
    public void A_run_entered_without_an_event_has_empty_trigger_properties_and_no_current_event()
    {
        var run = JourneyEntry.Start("vip", Of("done", Nodes, trigger: """{ "type": "api" }"""), 1, "entry-1", new ApiEnrolled(), T0);

        Assert.Empty(run.TriggerProperties);
        Assert.Null(run.CurrentEvent);
    }

    [Fact]
    public void Advancing_with_another_runs_entry_is_refused()
    {
        var journey = Of("done", Nodes);
        var run = JourneyEntry.Start("j", journey, 1, "entry-1", Go(), T0);
        var other = run with { EntryId = "entry-2" };

        Assert.Throws<ArgumentException>(() => JourneyStep.Advance(run, new Entered(other), _customer.Context));
    }
}
