using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>Event predicates: which events count (name, where, window) and what is measured of them.</summary>
public class EventPredicateTests
{
    private const string ViewedInThirtyDays = """{ "event": "page_viewed", "within": "P30D", "count": { "op": "eq", "value": 1 } }""";

    private static Scenario With(params CustomerEvent[] history) => new() { History = history };

    [Fact]
    public void An_event_exactly_within_ago_is_inside_the_window()
    {
        Assert.True(With(Given.Event("page_viewed", Given.DaysAgo(30))).Holds(ViewedInThirtyDays));
    }

    [Fact]
    public void An_event_a_moment_before_the_window_is_outside()
    {
        Assert.False(With(Given.Event("page_viewed", Given.DaysAgo(30) - Duration.FromSeconds(1))).Holds(ViewedInThirtyDays));
    }

    [Fact]
    public void An_event_stamped_after_now_has_not_happened_yet()
    {
        Assert.False(With(Given.Event("page_viewed", Given.Now + Duration.FromSeconds(1))).Holds(ViewedInThirtyDays));
        Assert.True(With(Given.Event("page_viewed", Given.Now)).Holds(ViewedInThirtyDays));
    }

    [Fact]
    public void Without_within_every_event_held_counts()
    {
        var customer = With(Given.Event("order_completed", Given.DaysAgo(3 * 365)), Given.Event("order_completed", Given.DaysAgo(1)));

        Assert.True(customer.Holds("""{ "event": "order_completed", "count": { "op": "eq", "value": 2 } }"""));
    }

    [Fact]
    public void Only_events_of_the_named_event_count()
    {
        var customer = With(Given.Event("page_viewed", Given.DaysAgo(1)), Given.Event("Page_Viewed", Given.DaysAgo(1)), Given.Event("product_added", Given.DaysAgo(1)));

        Assert.True(customer.Holds(ViewedInThirtyDays));
    }

    [Fact]
    public void Count_eq_zero_holds_for_a_customer_with_no_events()
    {
        var customer = new Scenario();

        Assert.True(customer.Holds("""{ "event": "order_completed", "within": "P30D", "count": { "op": "eq", "value": 0 } }"""));
        Assert.False(customer.Holds("""{ "event": "order_completed", "within": "P30D", "count": { "op": "neq", "value": 0 } }"""));
        Assert.True(customer.Holds("""{ "event": "order_completed", "count": { "op": "lt", "value": 1 } }"""));
    }

    [Fact]
    public void An_event_predicate_with_no_measure_means_it_happened_at_least_once()
    {
        const string Ordered = """{ "event": "order_completed", "within": "P7D" }""";

        Assert.False(new Scenario().Holds(Ordered));
        Assert.True(With(Given.Event("order_completed", Given.DaysAgo(2))).Holds(Ordered));
        Assert.True(With(Given.Event("order_completed", Given.DaysAgo(2)), Given.Event("order_completed", Given.DaysAgo(3))).Holds(Ordered));
    }

    [Fact]
    public void Count_compares_with_every_numeric_operator()
    {
        var threeOrders = With([.. Enumerable.Range(1, 3).Select(d => Given.Event("order_completed", Given.DaysAgo(d)))]);

        Assert.True(threeOrders.Holds("""{ "event": "order_completed", "count": { "op": "gt", "value": 2 } }"""));
        Assert.False(threeOrders.Holds("""{ "event": "order_completed", "count": { "op": "gt", "value": 3 } }"""));
        Assert.True(threeOrders.Holds("""{ "event": "order_completed", "count": { "op": "in", "value": [1, 3] } }"""));
        Assert.True(threeOrders.Holds("""{ "event": "order_completed", "count": { "op": "notIn", "value": [1, 2] } }"""));
        Assert.True(threeOrders.Holds("""{ "event": "order_completed", "count": { "op": "between", "value": [3, 5] } }"""));
    }

    [Fact]
    public void Where_filters_the_counted_events_by_their_own_properties()
    {
        var customer = new Scenario
        {
            History =
            [
                Given.Event("page_viewed", Given.DaysAgo(1), """{ "topic": "anti-aging" }"""),
                Given.Event("page_viewed", Given.DaysAgo(2), """{ "topic": "anti-aging" }"""),
                Given.Event("page_viewed", Given.DaysAgo(3), """{ "topic": "sunscreen" }"""),
                Given.Event("page_viewed", Given.DaysAgo(4)),
            ],
            // The current event matches the filter, yet `property` inside the where reads each counted event.
            Current = Given.Event("page_viewed", Given.Now, """{ "topic": "sunscreen" }"""),
        };

        Assert.True(customer.Holds("""{ "event": "page_viewed", "where": { "property": "topic", "op": "eq", "value": "anti-aging" }, "count": { "op": "eq", "value": 2 } }"""));
        Assert.True(customer.Holds("""{ "event": "page_viewed", "where": { "property": "topic", "op": "neq", "value": "anti-aging" }, "count": { "op": "eq", "value": 2 } }"""));
    }

    [Fact]
    public void Where_can_match_counted_events_to_the_run_and_the_customer()
    {
        var customer = new Scenario
        {
            Traits = Given.Json("""{ "favouriteSku": "b" }"""),
            Trigger = Given.Json("""{ "orderId": "o-1" }"""),
            History =
            [
                Given.Event("payment_received", Given.DaysAgo(1), """{ "orderId": "o-1", "sku": "a" }"""),
                Given.Event("payment_received", Given.DaysAgo(1), """{ "orderId": "o-2", "sku": "b" }"""),
            ],
        };

        Assert.True(customer.Holds("""{ "event": "payment_received", "where": { "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } }, "count": { "op": "eq", "value": 1 } }"""));
        Assert.True(customer.Holds("""{ "event": "payment_received", "where": { "property": "sku", "op": "eq", "value": { "path": "customer.traits.favouriteSku" } }, "count": { "op": "eq", "value": 1 } }"""));
    }

    [Fact]
    public void Sum_adds_numeric_properties_and_skips_every_other_type()
    {
        var customer = new Scenario
        {
            History =
            [
                Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 600 }"""),
                Given.Event("order_completed", Given.DaysAgo(2), """{ "amount": 500.5 }"""),
                Given.Event("order_completed", Given.DaysAgo(3), """{ "amount": "5000" }"""),
                Given.Event("order_completed", Given.DaysAgo(3), """{ "amount": true }"""),
                Given.Event("order_completed", Given.DaysAgo(3), """{ "amount": null }"""),
                Given.Event("order_completed", Given.DaysAgo(3), """{ "amount": [5000] }"""),
                Given.Event("order_completed", Given.DaysAgo(3), """{ "amount": { "value": 5000 } }"""),
                Given.Event("order_completed", Given.DaysAgo(3)),
            ],
        };

        Assert.True(customer.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "eq", "value": 1100.5 } }"""));
    }

    [Fact]
    public void Sum_counts_only_events_in_the_window_and_matching_the_where()
    {
        var customer = new Scenario
        {
            History =
            [
                Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 600, "currency": "CNY" }"""),
                Given.Event("order_completed", Given.DaysAgo(2), """{ "amount": 500, "currency": "USD" }"""),
                Given.Event("order_completed", Given.DaysAgo(31), """{ "amount": 700, "currency": "CNY" }"""),
            ],
        };

        Assert.True(customer.Holds("""{ "event": "order_completed", "within": "P30D", "sum": { "property": "amount", "op": "eq", "value": 1100 } }"""));
        Assert.True(customer.Holds("""{ "event": "order_completed", "where": { "property": "currency", "op": "eq", "value": "CNY" }, "sum": { "property": "amount", "op": "eq", "value": 1300 } }"""));
    }

    [Fact]
    public void Sum_of_no_events_is_zero()
    {
        Assert.True(new Scenario().Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "eq", "value": 0 } }"""));
    }

    [Fact]
    public void Sum_is_exact_for_decimal_amounts()
    {
        var customer = With([.. Enumerable.Range(0, 10).Select(_ => Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 0.1 }"""))]);

        Assert.True(customer.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "eq", "value": 1 } }"""));
    }

    [Fact]
    public void Sum_reads_a_nested_property()
    {
        var customer = With(Given.Event("order_completed", Given.DaysAgo(1), """{ "total": { "amount": 12.5 } }"""));

        Assert.True(customer.Holds("""{ "event": "order_completed", "sum": { "property": "total.amount", "op": "eq", "value": 12.5 } }"""));
    }

    [Fact]
    public void Sum_beyond_decimal_range_goes_on_as_a_double()
    {
        var overflowing = With(
            Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 79228162514264337593543950335 }"""),
            Given.Event("order_completed", Given.DaysAgo(2), """{ "amount": 79228162514264337593543950335 }"""));
        var huge = With(Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 1e400 }"""), Given.Event("order_completed", Given.DaysAgo(2), """{ "amount": 1 }"""));

        Assert.True(overflowing.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "gt", "value": 79228162514264337593543950335 } }"""));
        Assert.True(huge.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "gt", "value": 79228162514264337593543950335 } }"""));
    }

    [Fact]
    public void A_sum_of_infinities_of_both_signs_compares_with_nothing()
    {
        var customer = With(
            Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 1e400 }"""),
            Given.Event("order_completed", Given.DaysAgo(2), """{ "amount": -1e400 }"""));

        Assert.False(customer.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "gt", "value": 0 } }"""));
        Assert.False(customer.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "lte", "value": 0 } }"""));
    }

    [Fact]
    public void Days_counts_distinct_calendar_days_today_included()
    {
        var customer = With(
            Given.Event("community_viewed", Given.Now - Duration.FromHours(1)),
            Given.Event("community_viewed", Given.Now - Duration.FromHours(2)),
            Given.Event("community_viewed", Given.DaysAgo(1)),
            Given.Event("community_viewed", Given.DaysAgo(5)),
            Given.Event("community_viewed", Given.DaysAgo(5) + Duration.FromMinutes(5)));

        Assert.True(customer.Holds("""{ "event": "community_viewed", "within": "P30D", "days": { "op": "eq", "value": 3 } }"""));
    }

    [Fact]
    public void Days_are_the_customers_local_days_where_today_differs_from_utc()
    {
        // 02:00 UTC on 20 May is still 19 May, 19:00, in Los Angeles.
        var now = Instant.FromUtc(2027, 5, 20, 2, 0);
        var history = new[]
        {
            Given.Event("community_viewed", Instant.FromUtc(2027, 5, 20, 1, 0)),
            Given.Event("community_viewed", Instant.FromUtc(2027, 5, 19, 8, 0)),
        };
        const string OneDay = """{ "event": "community_viewed", "within": "P7D", "days": { "op": "eq", "value": 1 } }""";

        Assert.True(new Scenario { EvaluatedAt = now, History = history, TimeZone = "America/Los_Angeles" }.Holds(OneDay));
        Assert.False(new Scenario { EvaluatedAt = now, History = history, TimeZone = "UTC" }.Holds(OneDay));
        Assert.False(new Scenario { EvaluatedAt = now, History = history, TimeZone = "Asia/Shanghai" }.Holds(OneDay));
    }

    [Fact]
    public void Days_read_each_event_with_the_offset_in_force_at_that_event_across_a_dst_change()
    {
        // New York leaves daylight saving at 06:00 UTC on 7 November 2027. 04:30 UTC that day is 00:30 EDT on
        // 7 November; read with the winter offset of now it would be 23:30 on 6 November.
        var customer = new Scenario
        {
            EvaluatedAt = Instant.FromUtc(2027, 11, 10, 12, 0),
            TimeZone = "America/New_York",
            History =
            [
                Given.Event("community_viewed", Instant.FromUtc(2027, 11, 6, 20, 0)),
                Given.Event("community_viewed", Instant.FromUtc(2027, 11, 7, 4, 30)),
            ],
        };

        Assert.True(customer.Holds("""{ "event": "community_viewed", "within": "P30D", "days": { "op": "eq", "value": 2 } }"""));
    }

    [Fact]
    public void Days_across_the_spring_dst_gap_count_the_short_day_once()
    {
        // 14 March 2027 in New York has 23 hours; events at its first and last local minutes are one day.
        var customer = new Scenario
        {
            EvaluatedAt = Instant.FromUtc(2027, 3, 20, 12, 0),
            TimeZone = "America/New_York",
            History =
            [
                Given.Event("community_viewed", Instant.FromUtc(2027, 3, 14, 5, 0)),
                Given.Event("community_viewed", Instant.FromUtc(2027, 3, 15, 3, 59)),
            ],
        };

        Assert.True(customer.Holds("""{ "event": "community_viewed", "within": "P30D", "days": { "op": "eq", "value": 1 } }"""));
    }

    [Fact]
    public void Days_of_no_events_is_zero()
    {
        Assert.True(new Scenario().Holds("""{ "event": "community_viewed", "days": { "op": "eq", "value": 0 } }"""));
    }

    [Fact]
    public void Nested_event_predicates_in_a_where_read_the_whole_history()
    {
        var customer = With(
            Given.Event("order_completed", Given.DaysAgo(1), """{ "amount": 10 }"""),
            Given.Event("refund_issued", Given.DaysAgo(1)));

        Assert.True(customer.Holds("""{ "event": "order_completed", "where": { "event": "refund_issued", "within": "P7D" }, "count": { "op": "eq", "value": 1 } }"""));
        Assert.True(customer.Holds("""{ "event": "order_completed", "where": { "event": "refund_issued", "within": "P7D", "count": { "op": "eq", "value": 0 } }, "count": { "op": "eq", "value": 0 } }"""));
    }

    [Fact]
    public void Windows_and_events_at_the_ends_of_time_do_not_overflow()
    {
        var customer = new Scenario
        {
            TimeZone = "America/New_York",
            History = [Given.Event("e", Instant.MinValue), Given.Event("e", Given.Now)],
        };

        Assert.True(customer.Holds(new EventPredicate("e", null, TimeSpan.MaxValue, new DaysMeasure(new Comparison(ComparisonOperator.Eq, new NumberLiteral(2))))));
        Assert.True(customer.Holds(new EventPredicate("e", null, TimeSpan.MinValue, new CountMeasure(new Comparison(ComparisonOperator.Eq, new NumberLiteral(0))))));
    }
}
