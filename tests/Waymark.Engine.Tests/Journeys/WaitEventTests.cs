using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class WaitEventTests
{
    // Waits a day for the payment of the order that started the run.
    private static readonly JourneyDefinition PaymentOfThisOrder = Of("paid", """
        [ { "id": "paid", "type": "waitEvent", "event": "order_paid",
            "where": { "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } },
            "timeout": "P1D", "next": "thanks", "timeoutNext": "nudge" },
          { "id": "thanks", "type": "update", "addTags": ["paid"], "next": "done" },
          { "id": "nudge", "type": "update", "addTags": ["unpaid"], "next": "done" },
          { "id": "done", "type": "exit" } ]
        """);

    private readonly RunDriver _customer = new(PaymentOfThisOrder);

    [Fact]
    public void Arrival_waits_for_the_event_until_the_timeout()
    {
        Assert.Equal(["entered paid", "waiting at paid for order_paid until 2027-05-21T12:00:00Z"], Tell(_customer.EnterOn("go", """{ "orderId": "o-1" }""")));
    }

    [Fact]
    public void The_matching_event_moves_the_run_to_next_and_becomes_the_current_event()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromHours(1));

        Assert.Equal(
            ["moved paid → thanks (event)", "update thanks set {} add [paid] remove []", "moved thanks → done (next)", "exited done (exit_node)"],
            Tell(_customer.Receive("order_paid", """{ "orderId": "o-1" }""")));
    }

    [Fact]
    public void An_event_whose_where_fails_with_the_runs_values_is_ignored()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");

        Assert.Empty(_customer.Receive("order_paid", """{ "orderId": "o-2" }"""));
        Assert.Empty(_customer.Receive("order_shipped", """{ "orderId": "o-1" }"""));
        Assert.Equal("paid", _customer.Run?.Node);
    }

    [Fact]
    public void The_current_event_is_kept_for_later_nodes()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        var waiting = _customer.Run!;
        var paid = _customer.Event("order_paid", """{ "orderId": "o-1", "amount": 12 }""");
        var journey = Of("paid", """
            [ { "id": "paid", "type": "waitEvent", "event": "order_paid", "timeout": "P1D", "next": "later", "timeoutNext": "later" },
              { "id": "later", "type": "wait", "duration": "P1D", "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);

        var run = JourneyStep.Advance(waiting, new EventArrived(paid, T0), _customer.Context with { Journey = journey }).Run;

        Assert.Equal("order_paid", run?.CurrentEvent?.Name);
        Assert.Equal(12, run?.CurrentEvent?.Properties["amount"]?.GetValue<int>());
        Assert.Equal("o-1", run?.TriggerProperties["orderId"]?.GetValue<string>());
    }

    [Fact]
    public void No_event_by_the_timeout_moves_the_run_to_timeout_next()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");

        Assert.Empty(_customer.Pass(Duration.FromDays(1) - Duration.FromSeconds(1)));
        Assert.Equal(
            ["moved paid → nudge (timeout)", "update nudge set {} add [unpaid] remove []", "moved nudge → done (next)", "exited done (exit_node)"],
            Tell(_customer.Pass(Duration.FromSeconds(1))));
    }

    [Fact]
    public void An_event_stamped_more_than_24_hours_before_receipt_moves_no_wait_event()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromHours(1));

        Assert.Empty(_customer.Receive("order_paid", """{ "orderId": "o-1" }""", timestamp: _customer.Now - Duration.FromHours(24) - Duration.FromSeconds(1)));
        Assert.Equal("paid", _customer.Run?.Node);
    }

    [Fact]
    public void An_event_stamped_exactly_24_hours_before_receipt_still_moves_it()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromHours(1));

        Assert.Contains("moved paid → thanks (event)", Tell(_customer.Receive("order_paid", """{ "orderId": "o-1" }""", timestamp: _customer.Now - Duration.FromHours(24))));
    }

    [Fact]
    public void An_event_received_after_the_timeout_but_before_the_wake_up_finds_the_timeout_taken_first()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        _customer.Now = T0 + Duration.FromDays(1) + Duration.FromSeconds(1);

        Assert.Equal(
            ["moved paid → nudge (timeout)", "update nudge set {} add [unpaid] remove []", "moved nudge → done (next)", "exited done (exit_node)"],
            Tell(_customer.Receive("order_paid", """{ "orderId": "o-1" }""")));
    }

    [Fact]
    public void An_event_received_before_the_timeout_but_handled_after_it_still_matches()
    {
        _customer.EnterOn("go", """{ "orderId": "o-1" }""");
        var receivedAt = T0 + Duration.FromDays(1) - Duration.FromSeconds(1);
        _customer.Now = T0 + Duration.FromDays(1) + Duration.FromSeconds(2);
        var paid = _customer.Event("order_paid", """{ "orderId": "o-1" }""", receivedAt);

        Assert.Contains("moved paid → thanks (event)", Tell(_customer.Advance(new EventArrived(paid, receivedAt))));
    }

    [Fact]
    public void An_event_received_after_a_due_wait_is_weighed_at_the_wait_event_that_follows()
    {
        var journey = Of("pause", """
            [ { "id": "pause", "type": "wait", "duration": "PT1H", "next": "clicked" },
              { "id": "clicked", "type": "waitEvent", "event": "click", "timeout": "P1D", "next": "done", "timeoutNext": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        customer.Now = T0 + Duration.FromHours(2);

        Assert.Equal(
            [
                "moved pause → clicked (next)",
                "waiting at clicked for click until 2027-05-21T14:00:00Z",
                "moved clicked → done (event)",
                "exited done (exit_node)",
            ],
            Tell(customer.Receive("click")));
    }

    [Fact]
    public void A_send_caught_up_before_an_awaited_event_carries_the_event_current_then_not_the_new_one()
    {
        var journey = Of("pause", """
            [ { "id": "pause", "type": "wait", "duration": "PT1H", "next": "ask" },
              { "id": "ask", "type": "send", "channel": "sms", "template": { "text": "{{ event.name }}" }, "next": "answer" },
              { "id": "answer", "type": "waitEvent", "event": "reply", "timeout": "P1D", "next": "thanks", "timeoutNext": "done" },
              { "id": "thanks", "type": "send", "channel": "sms", "template": { "text": "{{ event.name }}" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        customer.Now = T0 + Duration.FromHours(2);

        customer.Receive("reply");

        Assert.Equal(["go", "reply"], customer.Timeline.OfType<SendMessage>().Select(s => s.CurrentEvent?.Name));
    }

    [Fact]
    public void Events_reach_a_run_waiting_on_time_without_moving_it()
    {
        var customer = new RunDriver(Of("pause", """
            [ { "id": "pause", "type": "wait", "duration": "PT1H", "next": "done" }, { "id": "done", "type": "exit" } ]
            """));
        customer.EnterOn("go");

        Assert.Empty(customer.Receive("click"));
        Assert.Equal("pause", customer.Run?.Node);
    }

    [Fact]
    public void The_received_event_is_copied_into_the_run_so_the_run_never_changes_with_the_callers_object()
    {
        var journey = Of("paid", """
            [ { "id": "paid", "type": "waitEvent", "event": "order_paid", "timeout": "P1D", "next": "later", "timeoutNext": "later" },
              { "id": "later", "type": "wait", "duration": "P1D", "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        var paid = customer.Event("order_paid", """{ "orderId": "o-1" }""");
        customer.Advance(new EventArrived(paid, T0));

        paid.Properties["orderId"] = "o-2";

        Assert.Equal("o-1", customer.Run?.CurrentEvent?.Properties["orderId"]?.GetValue<string>());
    }
}
