using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class GoalTests
{
    // A split into two variants of one push, then a week's wait; the goal is a purchase over 100 within 3 days.
    private static readonly JourneyDefinition Journey = Of(
        "split",
        """
        [ { "id": "split", "type": "split", "branches": [ { "name": "a", "weight": 50, "next": "push" }, { "name": "b", "weight": 50, "next": "push" } ] },
          { "id": "push", "type": "send", "channel": "push", "variants": [
              { "name": "v1", "weight": 50, "template": { "title": "1", "body": "1" } },
              { "name": "v2", "weight": 50, "template": { "title": "2", "body": "2" } } ], "next": "week" },
          { "id": "week", "type": "wait", "duration": "P7D", "next": "done" },
          { "id": "done", "type": "exit" } ]
        """,
        goal: """{ "event": "bought", "where": { "property": "amount", "op": "gt", "value": 100 }, "within": "P3D" }""");

    private readonly RunDriver _customer = new(Journey);

    [Fact]
    public void A_conversion_within_the_window_is_credited_to_the_branch_and_variant_without_ending_the_run()
    {
        _customer.EnterOn("go");
        var (branch, variant) = (_customer.Run!.Branch, _customer.Run.Variant);
        _customer.Pass(Duration.FromDays(1));

        Assert.Equal([new GoalReached("week", branch, variant)], _customer.Receive("bought", """{ "amount": 150 }"""));
        Assert.NotNull(_customer.Run);
        Assert.True(_customer.Run.GoalReached);
    }

    [Fact]
    public void The_goal_counts_once_per_run()
    {
        _customer.EnterOn("go");
        _customer.Receive("bought", """{ "amount": 150 }""");

        Assert.Empty(_customer.Receive("bought", """{ "amount": 300 }"""));
        _customer.Pass(Duration.FromDays(7));
        Assert.Null(_customer.Watch);
    }

    [Fact]
    public void An_event_failing_the_goals_where_is_no_conversion()
    {
        _customer.EnterOn("go");

        Assert.Empty(_customer.Receive("bought", """{ "amount": 50 }"""));
    }

    [Fact]
    public void A_purchase_after_the_window_is_no_conversion_even_while_the_run_is_on()
    {
        _customer.EnterOn("go");
        _customer.Pass(Duration.FromDays(3));
        Assert.Contains(new GoalReached("week", _customer.Run!.Branch, _customer.Run.Variant), JourneyStep.Advance(_customer.Run, new EventArrived(_customer.Event("bought", """{ "amount": 150 }"""), _customer.Now), _customer.Context).Decisions);

        _customer.Pass(Duration.FromSeconds(1));
        Assert.Empty(_customer.Receive("bought", """{ "amount": 150 }"""));
    }

    [Fact]
    public void A_run_that_ends_inside_the_window_leaves_a_watch_that_credits_a_later_conversion()
    {
        var journey = Of(
            "push",
            """
            [ { "id": "push", "type": "send", "channel": "push", "template": { "title": "1", "body": "1" }, "next": "done" }, { "id": "done", "type": "exit" } ]
            """,
            goal: """{ "event": "bought", "within": "P3D" }""");
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        var watch = Assert.IsType<GoalWatch>(customer.Watch);
        Assert.Equal(("journey-1", 1, "done", T0, T0 + Duration.FromDays(3)), (watch.JourneyId, watch.Version, watch.Node, watch.EnteredAt, watch.Until));

        customer.Pass(Duration.FromDays(3));
        Assert.Equal(new GoalReached("done", null, null), GoalCheck.Check(journey, watch, customer.Event("bought"), customer.Now, customer.Customer, customer.Now));
        customer.Pass(Duration.FromMilliseconds(1));
        Assert.Null(GoalCheck.Check(journey, watch, customer.Event("bought"), customer.Now, customer.Customer, customer.Now));
    }

    [Fact]
    public void No_watch_is_left_when_the_journey_has_no_goal_or_the_window_has_passed()
    {
        var noGoal = new RunDriver(Of("done", """[ { "id": "done", "type": "exit" } ]"""));
        noGoal.EnterOn("go");
        _customer.EnterOn("go");
        _customer.Pass(Duration.FromDays(7));

        Assert.Null(noGoal.Watch);
        Assert.Null(_customer.Run);
        Assert.Null(_customer.Watch);
    }

    [Fact]
    public void A_backfilled_purchase_counts_only_when_it_happened_inside_the_window()
    {
        _customer.EnterOn("go");
        _customer.Pass(Duration.FromDays(2));
        var beforeEntry = _customer.Event("bought", """{ "amount": 150 }""", T0 - Duration.FromHours(1));
        var duringRun = _customer.Event("bought", """{ "amount": 150 }""", T0 + Duration.FromHours(1));

        Assert.Empty(_customer.Advance(new EventArrived(beforeEntry, _customer.Now)));
        Assert.Single(_customer.Advance(new EventArrived(duringRun, _customer.Now)).OfType<GoalReached>());
    }

    [Fact]
    public void The_goals_where_reads_the_runs_trigger_properties_after_the_run_ended()
    {
        var journey = Of(
            "done",
            """[ { "id": "done", "type": "exit" } ]""",
            goal: """{ "event": "order_paid", "where": { "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } }, "within": "P1D" }""");
        var customer = new RunDriver(journey);
        customer.EnterOn("go", """{ "orderId": "o-7" }""");
        var watch = customer.Watch!;

        Assert.NotNull(GoalCheck.Check(journey, watch, customer.Event("order_paid", """{ "orderId": "o-7" }"""), T0, customer.Customer, T0));
        Assert.Null(GoalCheck.Check(journey, watch, customer.Event("order_paid", """{ "orderId": "o-8" }"""), T0, customer.Customer, T0));
        Assert.Null(GoalCheck.Check(journey, watch, customer.Event("order_shipped", """{ "orderId": "o-7" }"""), T0, customer.Customer, T0));
    }

    [Fact]
    public void A_later_send_without_variants_keeps_the_variant_credited()
    {
        var journey = Of(
            "push",
            """
            [ { "id": "push", "type": "send", "channel": "push", "variants": [
                  { "name": "v1", "weight": 100, "template": { "title": "1", "body": "1" } },
                  { "name": "v2", "weight": 0, "template": { "title": "2", "body": "2" } } ], "next": "follow-up" },
              { "id": "follow-up", "type": "send", "channel": "inapp", "template": { "title": "More", "body": "…" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """,
            goal: """{ "event": "bought", "within": "P3D" }""");
        var customer = new RunDriver(journey);
        customer.EnterOn("go");

        Assert.Equal("v1", customer.Watch?.Variant);
    }

    [Fact]
    public void A_run_ending_at_the_last_instant_of_the_window_leaves_a_watch_for_a_conversion_stamped_then()
    {
        var journey = Of(
            "wait",
            """[ { "id": "wait", "type": "wait", "duration": "P3D", "next": "done" }, { "id": "done", "type": "exit" } ]""",
            goal: """{ "event": "bought", "within": "P3D" }""");
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        customer.Pass(Duration.FromDays(3));
        var watch = Assert.IsType<GoalWatch>(customer.Watch);

        Assert.NotNull(GoalCheck.Check(journey, watch, customer.Event("bought"), customer.Now, customer.Customer, customer.Now));
    }
}
