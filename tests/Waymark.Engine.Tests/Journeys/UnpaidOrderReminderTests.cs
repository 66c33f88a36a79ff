using NodaTime;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>The spec example unpaid-order-reminder.json, driven through days of simulated time.</summary>
public sealed class UnpaidOrderReminderTests
{
    private readonly RunDriver _customer = new(Example("unpaid-order-reminder.json"));

    [Fact]
    public void Customer_who_never_pays_gets_the_push_after_ten_minutes_and_the_in_app_coupon_a_day_later()
    {
        Assert.Equal(["entered ten-minutes", "waiting at ten-minutes until 2027-05-20T12:10:00Z"], Tell(_customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""")));

        Assert.Empty(_customer.PassTo(T0 + Duration.FromMinutes(10) - Duration.FromSeconds(1)));
        Assert.Equal(
            [
                "moved ten-minutes → remind (next)",
                "send remind (push, transactional)",
                "moved remind → one-day (next)",
                "waiting at one-day until 2027-05-21T12:10:00Z",
            ],
            Tell(_customer.Pass(Duration.FromSeconds(1))));

        Assert.Empty(_customer.PassTo(Instant.FromUtc(2027, 5, 21, 12, 9)));
        Assert.Equal(
            ["moved one-day → coupon (next)", "send coupon (inapp, marketing)", "moved coupon → done (next)", "exited done (exit_node)"],
            Tell(_customer.PassTo(Instant.FromUtc(2027, 5, 21, 12, 10))));
        Assert.Null(_customer.Run);
    }

    [Fact]
    public void Paying_the_same_order_ends_the_run_at_once_and_counts_as_the_goal()
    {
        _customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromMinutes(5));

        Assert.Equal(
            ["goal at ten-minutes", "exited ten-minutes (exit_criterion)"],
            Tell(_customer.Receive("order_paid", """{ "orderId": "o-1" }""")));
        Assert.Null(_customer.Run);
        Assert.Null(_customer.Watch);
        Assert.DoesNotContain(_customer.Timeline, d => d is SendMessage);
    }

    [Fact]
    public void Paying_another_order_changes_nothing_and_the_reminder_still_comes()
    {
        _customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromMinutes(5));

        Assert.Empty(_customer.Receive("order_paid", """{ "orderId": "o-2" }"""));
        Assert.Contains("send remind (push, transactional)", Tell(_customer.Pass(Duration.FromMinutes(5))));
    }

    [Fact]
    public void Paying_after_the_push_ends_the_run_before_the_coupon()
    {
        _customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromHours(3));

        Assert.Equal(["goal at one-day", "exited one-day (exit_criterion)"], Tell(_customer.Receive("order_paid", """{ "orderId": "o-1" }""")));
        Assert.Equal(["send remind (push, transactional)"], Tell(_customer.Timeline.OfType<SendMessage>()));
    }

    [Fact]
    public void Paying_after_the_coupon_within_two_days_still_credits_the_ended_run()
    {
        _customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromDays(1) + Duration.FromMinutes(10));
        Assert.Null(_customer.Run);
        var watch = Assert.IsType<GoalWatch>(_customer.Watch);
        Assert.Equal(T0 + Duration.FromDays(2), watch.Until);

        _customer.Pass(Duration.FromHours(12));
        var paid = _customer.Event("order_paid", """{ "orderId": "o-1" }""");

        Assert.Equal(new GoalReached("done", null, null), GoalCheck.Check(_customer.Journey, watch, paid, _customer.Now, _customer.Customer, _customer.Now));
        Assert.Null(GoalCheck.Check(_customer.Journey, watch, _customer.Event("order_paid", """{ "orderId": "o-2" }"""), _customer.Now, _customer.Customer, _customer.Now));
    }

    [Fact]
    public void Paying_after_the_two_day_window_is_no_conversion()
    {
        _customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""");
        _customer.Pass(Duration.FromDays(2));
        var watch = Assert.IsType<GoalWatch>(_customer.Watch);
        _customer.Pass(Duration.FromSeconds(1));
        var paid = _customer.Event("order_paid", """{ "orderId": "o-1" }""");

        Assert.Null(GoalCheck.Check(_customer.Journey, watch, paid, _customer.Now, _customer.Customer, _customer.Now));
    }

    [Fact]
    public void Each_order_runs_on_its_own_with_its_own_entry_and_message_ids()
    {
        var journey = _customer.Journey;
        var first = new RunDriver(journey);
        var second = new RunDriver(journey);
        first.Enter(new EventTriggered(first.Event("order_submitted", """{ "orderId": "o-1" }"""), T0), triggerId: "m-1");
        Assert.Equal(EntryVerdict.Eligible, JourneyEntry.Check(journey, JourneyMode.Active, new EntryHistory(1, T0, true),
            new EventTriggered(second.Event("order_submitted", """{ "orderId": "o-2" }"""), T0), second.Customer, T0));
        second.Enter(new EventTriggered(second.Event("order_submitted", """{ "orderId": "o-2" }"""), T0), triggerId: "m-2");

        first.Pass(Duration.FromMinutes(10));
        second.Pass(Duration.FromMinutes(10));
        Assert.Equal(["goal at one-day", "exited one-day (exit_criterion)"], Tell(first.Receive("order_paid", """{ "orderId": "o-1" }""")));
        Assert.Empty(second.Receive("order_paid", """{ "orderId": "o-1" }"""));

        Assert.NotEqual(first.Timeline.OfType<SendMessage>().Single().MessageId, second.Timeline.OfType<SendMessage>().Single().MessageId);
        Assert.NotNull(second.Run);
    }

    [Fact]
    public void An_order_without_an_order_id_enters_nothing()
    {
        Assert.Equal(
            EntryVerdict.NotTriggered,
            JourneyEntry.Check(_customer.Journey, JourneyMode.Active, EntryHistory.None, new EventTriggered(_customer.Event("order_submitted"), T0), _customer.Customer, T0));
    }
}
