using NodaTime;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>The spec example test-drive-followup.json for a customer in Shanghai, driven through days of simulated time.</summary>
public sealed class TestDriveFollowUpTests
{
    // Booked at 20:00 Shanghai time on 20 May for 15:00 on 25 May.
    private const string Booking = """{ "bookingTime": "2027-05-25T15:00:00+08:00", "model": "Model Y", "store": "Pudong" }""";

    // 10:00 in Shanghai on 24 May, the day before the booking.
    private static readonly Instant DayBeforeAtTen = Instant.FromUtc(2027, 5, 24, 2, 0);

    private readonly RunDriver _customer = new(Example("test-drive-followup.json"))
    {
        TimeZone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"],
    };

    [Fact]
    public void Booking_waits_until_ten_in_the_morning_of_the_day_before_in_the_customers_time_zone()
    {
        Assert.Equal(["entered until-day-before", "waiting at until-day-before until 2027-05-24T02:00:00Z"], Tell(_customer.EnterOn("test_drive_booked", Booking)));

        Assert.Empty(_customer.PassTo(DayBeforeAtTen - Duration.FromSeconds(1)));
        Assert.Equal(
            [
                "moved until-day-before → remind (next)",
                "send remind (sms, transactional)",
                "moved remind → arrived (next)",
                "waiting at arrived for store_visited until 2027-05-26T02:00:00Z",
            ],
            Tell(_customer.PassTo(DayBeforeAtTen)));
    }

    [Fact]
    public void Customer_who_visits_is_welcomed_asked_for_a_rating_a_day_later_and_thanked_for_a_high_score()
    {
        _customer.EnterOn("test_drive_booked", Booking);
        _customer.PassTo(Instant.FromUtc(2027, 5, 25, 6, 50));

        Assert.Equal(
            [
                "moved arrived → welcome (event)",
                "send welcome (sms, transactional)",
                "moved welcome → next-day (next)",
                "waiting at next-day until 2027-05-26T06:50:00Z",
            ],
            Tell(_customer.Receive("store_visited")));
        Assert.Equal(
            [
                "moved next-day → ask-rating (next)",
                "send ask-rating (sms, marketing)",
                "moved ask-rating → rated (next)",
                "waiting at rated for service_rated until 2027-05-29T06:50:00Z",
            ],
            Tell(_customer.Pass(Duration.FromDays(1))));

        _customer.Pass(Duration.FromHours(2));
        Assert.Equal(
            [
                "moved rated → score (event)",
                "moved score → thanks (condition_true)",
                "send thanks (sms, marketing)",
                "moved thanks → done (next)",
                "exited done (exit_node)",
            ],
            Tell(_customer.Receive("service_rated", """{ "score": 9 }""")));
    }

    [Fact]
    public void A_low_rating_apologises_and_alerts_the_dealer_manager_with_the_score()
    {
        _customer.EnterOn("test_drive_booked", Booking);
        _customer.PassTo(Instant.FromUtc(2027, 5, 25, 7, 0));
        _customer.Receive("store_visited");
        _customer.Pass(Duration.FromDays(1));

        Assert.Equal(
            [
                "moved rated → score (event)",
                "moved score → sorry (condition_false)",
                "send sorry (sms, marketing)",
                "moved sorry → alert-manager (next)",
                "send alert-manager (webhook, transactional)",
                "moved alert-manager → done (next)",
                "exited done (exit_node)",
            ],
            Tell(_customer.Receive("service_rated", """{ "score": 3 }""")));
        Assert.Null(_customer.Run);
    }

    [Fact]
    public void A_no_show_goes_to_the_call_centre_webhook_after_two_days()
    {
        _customer.EnterOn("test_drive_booked", Booking);
        _customer.PassTo(DayBeforeAtTen);

        Assert.Empty(_customer.Pass(Duration.FromDays(2) - Duration.FromSeconds(1)));
        Assert.Equal(
            [
                "moved arrived → call-centre (timeout)",
                "send call-centre (webhook, transactional)",
                "moved call-centre → done (next)",
                "exited done (exit_node)",
            ],
            Tell(_customer.Pass(Duration.FromSeconds(1))));
    }

    [Fact]
    public void Customer_who_never_rates_leaves_three_days_after_the_request()
    {
        _customer.EnterOn("test_drive_booked", Booking);
        _customer.PassTo(Instant.FromUtc(2027, 5, 25, 7, 0));
        _customer.Receive("store_visited");
        _customer.Pass(Duration.FromDays(1));

        Assert.Equal(["moved rated → done (timeout)", "exited done (exit_node)"], Tell(_customer.Pass(Duration.FromDays(3))));
    }

    [Fact]
    public void Cancelling_ends_the_run_wherever_it_is()
    {
        _customer.EnterOn("test_drive_booked", Booking);
        _customer.PassTo(DayBeforeAtTen + Duration.FromHours(1));

        Assert.Equal(["exited arrived (exit_criterion)"], Tell(_customer.Receive("test_drive_cancelled")));
        Assert.Null(_customer.Run);
    }

    [Fact]
    public void A_booking_less_than_a_day_ahead_is_reminded_at_once()
    {
        // Booked at 20:00 on 20 May for 09:00 the next morning: 10:00 the day before has passed.
        Assert.Equal(
            [
                "entered until-day-before",
                "moved until-day-before → remind (next)",
                "send remind (sms, transactional)",
                "moved remind → arrived (next)",
                "waiting at arrived for store_visited until 2027-05-22T12:00:00Z",
            ],
            Tell(_customer.EnterOn("test_drive_booked", """{ "bookingTime": "2027-05-21T09:00:00+08:00" }""")));
    }

    [Fact]
    public void A_booking_without_a_time_ends_with_invalid_until()
    {
        Assert.Equal(
            ["entered until-day-before", "exited until-day-before (invalid_until)"],
            Tell(_customer.EnterOn("test_drive_booked", """{ "model": "Model Y" }""")));
    }

    [Fact]
    public void The_thank_you_reads_the_rating_event_as_the_current_event()
    {
        _customer.EnterOn("test_drive_booked", Booking);
        _customer.PassTo(Instant.FromUtc(2027, 5, 25, 7, 0));
        _customer.Receive("store_visited", """{ "visit": 1 }""");
        _customer.Pass(Duration.FromDays(1));
        var rated = _customer.Run;
        Assert.Equal("store_visited", rated?.CurrentEvent?.Name);

        var result = JourneyStep.Advance(rated!, new EventArrived(_customer.Event("service_rated", """{ "score": 8 }"""), _customer.Now), _customer.Context);

        Assert.Null(result.Run);
        var thanks = result.Decisions.OfType<SendMessage>().Single(s => s.Node == "thanks");
        Assert.Equal(("service_rated", 8), (thanks.CurrentEvent?.Name, thanks.CurrentEvent?.Properties["score"]?.GetValue<int>()));
    }

    [Fact]
    public void Rebooking_is_refused_while_the_run_is_on_and_allowed_after_it_ended()
    {
        var journey = _customer.Journey;
        var booking = new EventTriggered(_customer.Event("test_drive_booked", Booking), T0);

        Assert.Equal(EntryVerdict.StillRunning, JourneyEntry.Check(journey, JourneyMode.Active, new EntryHistory(1, T0, true), booking, _customer.Customer, T0));
        Assert.Equal(EntryVerdict.Eligible, JourneyEntry.Check(journey, JourneyMode.Active, new EntryHistory(0, T0, true), booking, _customer.Customer, T0));
    }
}
