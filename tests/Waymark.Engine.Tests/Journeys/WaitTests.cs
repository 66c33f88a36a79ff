using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class WaitTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private static JourneyDefinition WaitThenExit(string time) =>
        Of("w", $$"""[ { "id": "w", "type": "wait", {{time}}, "next": "done" }, { "id": "done", "type": "exit" } ]""");

    private static RunDriver UntilProperty(string until, DateTimeZone? zone = null) =>
        new(WaitThenExit($$""" "until": {{until}} """)) { TimeZone = zone ?? DateTimeZone.Utc };

    [Fact]
    public void A_duration_counts_from_arrival_and_moves_on_exactly_when_it_has_passed()
    {
        var customer = new RunDriver(WaitThenExit(""" "duration": "PT90M" """));

        Assert.Equal(["entered w", "waiting at w until 2027-05-20T13:30:00Z"], Tell(customer.EnterOn("go")));
        Assert.Empty(customer.PassTo(Instant.FromUtc(2027, 5, 20, 13, 29, 59)));
        Assert.Equal(["moved w → done (next)", "exited done (exit_node)"], Tell(customer.Pass(Duration.FromSeconds(1))));
    }

    [Fact]
    public void A_wake_up_before_the_due_time_is_stale_and_changes_nothing()
    {
        var customer = new RunDriver(WaitThenExit(""" "duration": "PT1H" """));
        customer.EnterOn("go");
        var waiting = customer.Run!;
        customer.Now = T0 + Duration.FromMinutes(59);

        var result = JourneyStep.Advance(waiting, new WokeUp(), customer.Context);

        Assert.Empty(result.Decisions);
        Assert.Same(waiting, result.Run);
    }

    [Fact]
    public void A_late_wake_up_still_moves_on_and_later_waits_count_from_the_actual_arrival()
    {
        var journey = Of("a", """
            [ { "id": "a", "type": "wait", "duration": "PT1H", "next": "b" },
              { "id": "b", "type": "wait", "duration": "PT1H", "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        customer.Now = T0 + Duration.FromHours(3);

        Assert.Equal(["moved a → b (next)", "waiting at b until 2027-05-20T16:00:00Z"], Tell(customer.Advance(new WokeUp())));
    }

    [Fact]
    public void Until_a_fixed_instant_ahead_waits_for_it()
    {
        var customer = new RunDriver(WaitThenExit(""" "until": "2027-06-01T09:00:00+08:00" """));

        Assert.Equal(["entered w", "waiting at w until 2027-06-01T01:00:00Z"], Tell(customer.EnterOn("go")));
        Assert.Equal(["moved w → done (next)", "exited done (exit_node)"], Tell(customer.PassTo(Instant.FromUtc(2027, 6, 1, 1, 0))));
    }

    [Fact]
    public void Until_a_fixed_instant_already_past_moves_on_at_once()
    {
        var customer = new RunDriver(WaitThenExit(""" "until": "2027-05-20T11:59:59Z" """));

        Assert.Equal(["entered w", "moved w → done (next)", "exited done (exit_node)"], Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void Until_a_property_adds_the_offset_to_the_timestamp_it_reads()
    {
        var customer = UntilProperty("""{ "property": "trigger.properties.at", "offset": "-PT2H" }""");

        Assert.Equal(["entered w", "waiting at w until 2027-05-25T05:00:00Z"], Tell(customer.EnterOn("go", """{ "at": "2027-05-25T15:00:00+08:00" }""")));
    }

    [Fact]
    public void Until_reads_a_customer_trait_too()
    {
        var customer = UntilProperty("""{ "property": "customer.traits.renewal.date" }""");
        customer.Traits["renewal"] = new System.Text.Json.Nodes.JsonObject { ["date"] = "2027-07-01T00:00:00Z" };

        Assert.Equal(["entered w", "waiting at w until 2027-07-01T00:00:00Z"], Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void Until_reads_the_event_that_a_wait_event_received()
    {
        var journey = Of("paid", """
            [ { "id": "paid", "type": "waitEvent", "event": "order_paid", "timeout": "P1D", "next": "w", "timeoutNext": "done" },
              { "id": "w", "type": "wait", "until": { "property": "event.properties.deliveryAt", "offset": "P1D" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go", """{ "deliveryAt": "2030-01-01T00:00:00Z" }""");

        Assert.Equal(
            ["moved paid → w (event)", "waiting at w until 2027-05-23T10:00:00Z"],
            Tell(customer.Receive("order_paid", """{ "deliveryAt": "2027-05-22T10:00:00Z" }""")));
    }

    [Fact]
    public void At_time_of_day_is_that_local_time_on_the_local_date_in_Shanghai()
    {
        // 23:30 UTC on 24 May is already 25 May in Shanghai.
        var customer = UntilProperty("""{ "property": "trigger.properties.at", "atTimeOfDay": "10:00" }""", DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);

        Assert.Equal(["entered w", "waiting at w until 2027-05-25T02:00:00Z"], Tell(customer.EnterOn("go", """{ "at": "2027-05-24T23:30:00Z" }""")));
    }

    [Theory]
    [InlineData("2027-03-13T12:00:00Z", "10:00", "2027-03-13T15:00:00Z")] // standard time, UTC−5
    [InlineData("2027-03-15T12:00:00Z", "10:00", "2027-03-15T14:00:00Z")] // daylight time, UTC−4
    [InlineData("2027-03-14T12:00:00Z", "02:30", "2027-03-14T07:00:00Z")] // 02:30 does not exist: the gap's end, 03:00 EDT
    [InlineData("2027-03-14T12:00:00Z", "02:00", "2027-03-14T07:00:00Z")] // the gap's first minute is skipped too
    [InlineData("2027-03-14T12:00:00Z", "03:00", "2027-03-14T07:00:00Z")] // the first valid time after the gap
    [InlineData("2027-11-07T12:00:00Z", "01:30", "2027-11-07T05:30:00Z")] // 01:30 happens twice: the first, EDT
    [InlineData("2027-11-07T12:00:00Z", "02:00", "2027-11-07T07:00:00Z")] // after the overlap, EST
    public void At_time_of_day_in_New_York_takes_the_end_of_a_DST_gap_and_the_first_of_an_overlap(string at, string timeOfDay, string due)
    {
        var customer = UntilProperty($$"""{ "property": "trigger.properties.at", "atTimeOfDay": "{{timeOfDay}}" }""", NewYork);
        customer.Now = Instant.FromUtc(2027, 3, 1, 0, 0);

        Assert.Equal(["entered w", $"waiting at w until {due}"], Tell(customer.EnterOn("go", $$"""{ "at": "{{at}}" }""")));
    }

    [Fact]
    public void At_time_of_day_applies_after_the_offset_moved_the_date()
    {
        var customer = UntilProperty("""{ "property": "trigger.properties.at", "offset": "-P1D", "atTimeOfDay": "01:30" }""", NewYork);
        customer.Now = Instant.FromUtc(2027, 3, 1, 0, 0);

        // 8 November 12:00 UTC less a day is 7 November, the day the clocks go back.
        Assert.Equal(["entered w", "waiting at w until 2027-11-07T05:30:00Z"], Tell(customer.EnterOn("go", """{ "at": "2027-11-08T12:00:00Z" }""")));
    }

    [Fact]
    public void At_time_of_day_already_past_today_moves_on_at_once()
    {
        var customer = UntilProperty("""{ "property": "trigger.properties.at", "atTimeOfDay": "09:00" }""");

        Assert.Equal(
            ["entered w", "moved w → done (next)", "exited done (exit_node)"],
            Tell(customer.EnterOn("go", """{ "at": "2027-05-20T18:00:00Z" }""")));
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "at": null }""")]
    [InlineData("""{ "at": 1780000000 }""")]
    [InlineData("""{ "at": "tomorrow" }""")]
    [InlineData("""{ "at": "2027-05-25T15:00:00" }""")]
    [InlineData("""{ "at": "2027-05-25" }""")]
    [InlineData("""{ "at": { "date": "2027-05-25T15:00:00Z" } }""")]
    [InlineData("""{ "at": "9999-12-31T23:00:00-05:00" }""")]
    [InlineData("""{ "at": "\ud800" }""")]
    public void A_missing_or_unparsable_until_property_ends_the_run_with_invalid_until(string properties)
    {
        var customer = UntilProperty("""{ "property": "trigger.properties.at" }""");

        Assert.Equal(["entered w", "exited w (invalid_until)"], Tell(customer.EnterOn("go", properties)));
        Assert.Null(customer.Run);
    }

    [Fact]
    public void A_timestamp_too_close_to_the_end_of_time_to_place_in_a_zone_ends_with_invalid_until()
    {
        var customer = UntilProperty("""{ "property": "trigger.properties.at", "offset": "P1000D", "atTimeOfDay": "10:00" }""", NewYork);

        Assert.Equal(["entered w", "exited w (invalid_until)"], Tell(customer.EnterOn("go", """{ "at": "9998-06-01T00:00:00Z" }""")));
    }

    [Fact]
    public void A_loop_whose_only_wait_is_past_sends_once_then_stays_at_the_wait_instead_of_going_round_forever()
    {
        var journey = Of("w", """
            [ { "id": "w", "type": "wait", "until": "2027-06-01T00:00:00Z", "next": "tip" },
              { "id": "tip", "type": "send", "channel": "inapp", "template": { "title": "Tip", "body": "…" }, "next": "w" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go");

        Assert.Equal(
            ["moved w → tip (next)", "send tip (inapp, marketing)", "moved tip → w (next)", "waiting at w until never"],
            Tell(customer.PassTo(Instant.FromUtc(2027, 6, 1, 0, 0))));
        Assert.Null(customer.Run?.Due);
        Assert.Empty(customer.Pass(Duration.FromDays(30)));
        Assert.Empty(customer.Advance(new WokeUp()));
    }

    [Fact]
    public void A_loop_through_a_past_until_and_a_real_wait_goes_round_at_the_real_waits_pace()
    {
        var journey = Of("w", """
            [ { "id": "w", "type": "wait", "until": "2020-01-01T00:00:00Z", "next": "tip" },
              { "id": "tip", "type": "send", "channel": "inapp", "template": { "title": "Tip", "body": "…" }, "next": "day" },
              { "id": "day", "type": "wait", "duration": "P1D", "next": "w" } ]
            """);
        var customer = new RunDriver(journey);

        Assert.Equal(
            ["entered w", "moved w → tip (next)", "send tip (inapp, marketing)", "moved tip → day (next)", "waiting at day until 2027-05-21T12:00:00Z"],
            Tell(customer.EnterOn("go")));
        customer.Pass(Duration.FromDays(3));
        Assert.Equal(4, customer.Timeline.OfType<SendMessage>().Count());
    }

    [Fact]
    public void A_cycle_without_a_wait_that_slipped_past_validation_throws_rather_than_spinning()
    {
        var always = new TagPredicate("vip");
        var journey = new JourneyDefinition(
            "bad", null, new EventTrigger("go", null), EntryRules.Default, [], null, "a",
            [new ConditionNode("a", always, "b", "b"), new ConditionNode("b", always, "a", "a")]);
        var customer = new RunDriver(journey);

        var error = Assert.Throws<InvalidOperationException>(() => customer.EnterOn("go"));
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }
}
