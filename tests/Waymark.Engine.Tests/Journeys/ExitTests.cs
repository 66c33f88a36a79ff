using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class ExitTests
{
    // Waits for a reply that also ends the run when it says "stop"; leaving the loyal segment ends it too.
    private static readonly JourneyDefinition Journey = Of(
        "reply",
        """
        [ { "id": "reply", "type": "waitEvent", "event": "replied", "timeout": "P1D", "next": "thanks", "timeoutNext": "done" },
          { "id": "thanks", "type": "update", "addTags": ["replied"], "next": "done" },
          { "id": "done", "type": "exit" } ]
        """,
        exitWhen: """
            [ { "event": "replied", "where": { "property": "text", "op": "eq", "value": "stop" } },
              { "event": "order_refunded", "where": { "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } } },
              { "segment": "loyal", "on": "exit" } ]
            """);

    private readonly RunDriver _customer = new(Journey);

    [Fact]
    public void An_exit_node_ends_the_run()
    {
        var customer = new RunDriver(Of("done", """[ { "id": "done", "type": "exit" } ]"""));

        Assert.Equal(["entered done", "exited done (exit_node)"], Tell(customer.EnterOn("go")));
        Assert.Null(customer.Run);
    }

    [Fact]
    public void Exit_when_is_checked_before_the_wait_event_for_the_same_event()
    {
        _customer.EnterOn("go");

        Assert.Equal(["exited reply (exit_criterion)"], Tell(_customer.Receive("replied", """{ "text": "stop" }""")));
    }

    [Fact]
    public void An_event_that_fails_the_exit_where_goes_on_to_the_wait_event()
    {
        _customer.EnterOn("go");

        Assert.Contains("moved reply → thanks (event)", Tell(_customer.Receive("replied", """{ "text": "yes" }""")));
    }

    [Fact]
    public void Exit_when_reads_the_runs_values()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");

        Assert.Empty(_customer.Receive("order_refunded", """{ "orderId": "o-2" }"""));
        Assert.Equal(["exited reply (exit_criterion)"], Tell(_customer.Receive("order_refunded", """{ "orderId": "o-1" }""")));
    }

    [Fact]
    public void Leaving_the_exit_segment_ends_the_run_and_leaving_another_does_not()
    {
        _customer.EnterOn("go");

        Assert.Empty(_customer.Advance(new LeftSegment("diamond-vip")));
        Assert.Equal(["exited reply (exit_criterion)"], Tell(_customer.Advance(new LeftSegment("loyal"))));
    }

    [Fact]
    public void Leaving_the_segment_after_a_step_came_due_but_before_its_wake_up_takes_the_step_first()
    {
        var journey = Of(
            "hour",
            """
            [ { "id": "hour", "type": "wait", "duration": "PT1H", "next": "push" },
              { "id": "push", "type": "send", "channel": "push", "template": { "title": "Hi", "body": "…" }, "next": "day" },
              { "id": "day", "type": "wait", "duration": "P1D", "next": "done" },
              { "id": "done", "type": "exit" } ]
            """,
            exitWhen: """[ { "segment": "loyal", "on": "exit" } ]""");
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        customer.Now = T0 + Duration.FromHours(1) + Duration.FromSeconds(1);

        Assert.Equal(
            ["moved hour → push (next)", "send push (push, marketing)", "moved push → day (next)", "waiting at day until 2027-05-21T13:00:01Z", "exited day (exit_criterion)"],
            Tell(customer.Advance(new LeftSegment("loyal"))));
    }

    [Fact]
    public void A_backfilled_exit_event_that_happened_before_the_run_ends_nothing()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromHours(1));

        Assert.Empty(_customer.Receive("order_refunded", """{ "orderId": "o-1" }""", timestamp: T0 - Duration.FromDays(3)));
        Assert.NotNull(_customer.Run);
    }

    [Fact]
    public void A_backfilled_exit_event_that_happened_during_the_run_ends_it()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        _customer.Now = T0 + Duration.FromHours(20);
        var refundedOffline = _customer.Event("order_refunded", """{ "orderId": "o-1" }""", T0 + Duration.FromMinutes(5));

        Assert.Equal(["exited reply (exit_criterion)"], Tell(_customer.Advance(new EventArrived(refundedOffline, T0 + Duration.FromDays(2)))));
    }

    [Fact]
    public void A_live_exit_event_stamped_a_little_before_entry_by_a_lagging_client_clock_still_ends_the_run()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");

        Assert.Equal(["exited reply (exit_criterion)"], Tell(_customer.Receive("order_refunded", """{ "orderId": "o-1" }""", timestamp: T0 - Duration.FromSeconds(30))));
    }
}
