using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>Each predicate form other than event predicates, and the values <c>{ "path" }</c> reads.</summary>
public class PredicateFormTests
{
    private static readonly Scenario Silver35 = new() { Traits = Given.Json("""{ "age": 35, "memberLevel": "silver" }""") };

    [Fact]
    public void All_holds_only_when_every_predicate_holds()
    {
        Assert.True(Silver35.Holds("""{ "all": [ { "trait": "age", "op": "gte", "value": 30 }, { "trait": "memberLevel", "op": "eq", "value": "silver" } ] }"""));
        Assert.False(Silver35.Holds("""{ "all": [ { "trait": "age", "op": "gte", "value": 30 }, { "trait": "memberLevel", "op": "eq", "value": "gold" } ] }"""));
    }

    [Fact]
    public void Any_holds_when_one_predicate_holds()
    {
        Assert.True(Silver35.Holds("""{ "any": [ { "trait": "age", "op": "lt", "value": 30 }, { "trait": "memberLevel", "op": "eq", "value": "silver" } ] }"""));
        Assert.False(Silver35.Holds("""{ "any": [ { "trait": "age", "op": "lt", "value": 30 }, { "trait": "memberLevel", "op": "eq", "value": "gold" } ] }"""));
    }

    [Fact]
    public void Not_negates()
    {
        Assert.False(Silver35.Holds("""{ "not": { "trait": "age", "op": "gte", "value": 30 } }"""));
        Assert.True(Silver35.Holds("""{ "not": { "trait": "age", "op": "lt", "value": 30 } }"""));
    }

    [Fact]
    public void Not_of_a_type_mismatch_holds_though_neq_does_not()
    {
        var customer = new Scenario { Traits = Given.Json("""{ "age": "35" }""") };

        Assert.True(customer.Holds("""{ "not": { "trait": "age", "op": "eq", "value": 35 } }"""));
        Assert.False(customer.Holds("""{ "trait": "age", "op": "neq", "value": 35 }"""));
    }

    [Fact]
    public void A_dotted_trait_name_reaches_into_nested_objects()
    {
        var customer = new Scenario { Traits = Given.Json("""{ "address": { "city": "Beijing", "geo": { "lat": 39.9 } } }""") };

        Assert.True(customer.Holds("""{ "trait": "address.city", "op": "eq", "value": "Beijing" }"""));
        Assert.True(customer.Holds("""{ "trait": "address.geo.lat", "op": "gt", "value": 39 }"""));
        Assert.True(customer.Holds("""{ "trait": "address", "op": "exists" }"""));
        Assert.True(customer.Holds("""{ "trait": "address.zip", "op": "notExists" }"""));
    }

    [Fact]
    public void A_dotted_name_through_a_value_that_is_not_an_object_is_missing()
    {
        var customer = new Scenario { Traits = Given.Json("""{ "address": { "city": "Beijing" }, "list": [ { "city": "Beijing" } ] }""") };

        Assert.True(customer.Holds("""{ "trait": "address.city.name", "op": "notExists" }"""));
        Assert.True(customer.Holds("""{ "trait": "list.city", "op": "notExists" }"""));
        Assert.True(customer.Holds("""{ "trait": "list.0.city", "op": "notExists" }"""));
    }

    [Fact]
    public void A_dotted_name_does_not_read_a_flat_trait_whose_name_holds_a_dot()
    {
        var customer = new Scenario { Traits = Given.Json("""{ "address.city": "Beijing" }""") };

        Assert.False(customer.Holds("""{ "trait": "address.city", "op": "eq", "value": "Beijing" }"""));
    }

    [Fact]
    public void A_customer_with_no_city_is_not_in_beijing()
    {
        var customer = new Scenario();

        Assert.True(customer.Holds("""{ "trait": "address.city", "op": "notIn", "value": ["Beijing"] }"""));
        Assert.True(customer.Holds("""{ "trait": "address.city", "op": "neq", "value": "Beijing" }"""));
        Assert.False(customer.Holds("""{ "trait": "address.city", "op": "in", "value": ["Beijing"] }"""));
    }

    [Fact]
    public void Tag_holds_when_the_customer_carries_it()
    {
        var customer = new Scenario { Tags = ["vip"] };

        Assert.True(customer.Holds("""{ "tag": "vip" }"""));
        Assert.False(customer.Holds("""{ "tag": "VIP" }"""));
        Assert.False(customer.Holds("""{ "tag": "new" }"""));
    }

    [Fact]
    public void Segment_holds_for_a_member()
    {
        var customer = new Scenario { Segments = ["loyal"] };

        Assert.True(customer.Holds("""{ "segment": "loyal" }"""));
        Assert.False(customer.Holds("""{ "segment": "diamond-vip" }"""));
    }

    [Fact]
    public void Rfm_holds_for_the_customers_class_only()
    {
        Assert.True(new Scenario { Rfm = RfmClass.ImportantValue }.Holds("""{ "rfm": "important_value" }"""));
        Assert.False(new Scenario { Rfm = RfmClass.GeneralValue }.Holds("""{ "rfm": "important_value" }"""));
        Assert.False(new Scenario { Rfm = null }.Holds("""{ "rfm": "general_retain" }"""));
    }

    [Fact]
    public void Property_reads_the_current_event()
    {
        var customer = new Scenario { Current = Given.Event("survey_answered", Given.Now, """{ "score": 5, "answer": { "text": "meh" } }""") };

        Assert.True(customer.Holds("""{ "property": "score", "op": "lt", "value": 7 }"""));
        Assert.False(customer.Holds("""{ "property": "score", "op": "gte", "value": 7 }"""));
        Assert.True(customer.Holds("""{ "property": "answer.text", "op": "eq", "value": "meh" }"""));
        Assert.True(customer.Holds("""{ "property": "reason", "op": "notExists" }"""));
    }

    [Theory]
    [InlineData("""{ "property": "score", "op": "notExists" }""")]
    [InlineData("""{ "property": "score", "op": "neq", "value": 7 }""")]
    [InlineData("""{ "property": "score", "op": "notIn", "value": [7] }""")]
    [InlineData("""{ "property": "score", "op": "exists" }""")]
    public void Property_with_no_current_event_is_false_for_every_operator(string predicate)
    {
        Assert.False(new Scenario { Current = null }.Holds(predicate));
    }

    [Fact]
    public void A_path_operand_reads_the_trigger_so_a_journey_matches_its_own_order()
    {
        var payment = Given.Event("payment_received", Given.Now, """{ "orderId": "o-1" }""");
        const string SameOrder = """{ "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } }""";

        Assert.True(new Scenario { Current = payment, Trigger = Given.Json("""{ "orderId": "o-1" }""") }.Holds(SameOrder));
        Assert.False(new Scenario { Current = payment, Trigger = Given.Json("""{ "orderId": "o-2" }""") }.Holds(SameOrder));
    }

    [Fact]
    public void A_path_that_resolves_to_nothing_fails_every_operator_except_neq()
    {
        var customer = new Scenario { Current = Given.Event("payment_received", Given.Now, """{ "orderId": "o-1" }"""), Trigger = Given.Json("{}") };

        Assert.False(customer.Holds("""{ "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } }"""));
        Assert.False(customer.Holds("""{ "property": "orderId", "op": "startsWith", "value": { "path": "trigger.properties.orderId" } }"""));
        Assert.True(customer.Holds("""{ "property": "orderId", "op": "neq", "value": { "path": "trigger.properties.orderId" } }"""));
    }

    [Fact]
    public void Run_paths_outside_a_run_resolve_to_nothing()
    {
        var customer = new Scenario { Current = Given.Event("payment_received", Given.Now, """{ "orderId": "o-1" }""") };

        Assert.False(customer.Holds("""{ "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } }"""));
        Assert.False(customer.Holds("""{ "property": "orderId", "op": "eq", "value": { "path": "event.properties.orderId" } }"""));
    }

    [Fact]
    public void Event_properties_read_the_runs_current_event_not_the_one_being_matched()
    {
        var arriving = Given.Event("payment_received", Given.Now, """{ "amount": 5 }""");
        const string SameAmount = """{ "property": "amount", "op": "eq", "value": { "path": "event.properties.amount" } }""";

        Assert.True(new Scenario { Current = arriving, RunEvent = Given.Json("""{ "amount": 5 }""") }.Holds(SameAmount));
        Assert.False(new Scenario { Current = arriving, RunEvent = Given.Json("""{ "amount": 6 }""") }.Holds(SameAmount));
    }

    [Fact]
    public void A_path_operand_reads_nested_trigger_properties_and_customer_traits()
    {
        var customer = new Scenario
        {
            Traits = Given.Json("""{ "spent": 90, "limit": 100, "home": { "city": "Shanghai" } }"""),
            Trigger = Given.Json("""{ "shipping": { "city": "Shanghai" } }"""),
        };

        Assert.True(customer.Holds("""{ "trait": "spent", "op": "lt", "value": { "path": "customer.traits.limit" } }"""));
        Assert.True(customer.Holds("""{ "trait": "home.city", "op": "eq", "value": { "path": "trigger.properties.shipping.city" } }"""));
        Assert.False(customer.Holds("""{ "trait": "limit", "op": "lt", "value": { "path": "customer.traits.spent" } }"""));
    }

    [Fact]
    public void Two_structures_read_through_paths_compare_as_json()
    {
        var customer = new Scenario
        {
            Traits = Given.Json("""{ "cart": [1, { "sku": "a" }] }"""),
            Trigger = Given.Json("""{ "same": [1.0, { "sku": "a" }], "other": [1, { "sku": "b" }] }"""),
        };

        Assert.True(customer.Holds("""{ "trait": "cart", "op": "eq", "value": { "path": "trigger.properties.same" } }"""));
        Assert.True(customer.Holds("""{ "trait": "cart", "op": "neq", "value": { "path": "trigger.properties.other" } }"""));
        Assert.False(customer.Holds("""{ "trait": "cart", "op": "gt", "value": { "path": "trigger.properties.other" } }"""));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(6.99, true)]
    [InlineData(7, true)]
    [InlineData(7.0001, false)]
    [InlineData(30, false)]
    public void Last_seen_gte_minus_seven_days_means_seen_at_or_after_now_minus_seven_days(double daysAgo, bool expected)
    {
        Assert.Equal(expected, new Scenario { LastSeen = Given.DaysAgo(daysAgo) }.Holds("""{ "lastSeen": { "op": "gte", "value": "-P7D" } }"""));
    }

    [Fact]
    public void Last_seen_orders_the_latest_event_against_now_plus_each_offset()
    {
        var tenDaysAgo = new Scenario { LastSeen = Given.DaysAgo(10) };

        Assert.True(tenDaysAgo.Holds("""{ "lastSeen": { "op": "lt", "value": "-P7D" } }"""));
        Assert.False(tenDaysAgo.Holds("""{ "lastSeen": { "op": "gt", "value": "-P7D" } }"""));
        Assert.True(tenDaysAgo.Holds("""{ "lastSeen": { "op": "lte", "value": "-P10D" } }"""));
        Assert.True(tenDaysAgo.Holds("""{ "lastSeen": { "op": "between", "value": ["-P14D", "-P7D"] } }"""));
        Assert.False(new Scenario { LastSeen = Given.DaysAgo(3) }.Holds("""{ "lastSeen": { "op": "between", "value": ["-P14D", "-P7D"] } }"""));
        Assert.False(new Scenario { LastSeen = Given.DaysAgo(15) }.Holds("""{ "lastSeen": { "op": "between", "value": ["-P14D", "-P7D"] } }"""));
    }

    [Theory]
    [InlineData("""{ "lastSeen": { "op": "gte", "value": "-P7D" } }""")]
    [InlineData("""{ "lastSeen": { "op": "lt", "value": "-P7D" } }""")]
    [InlineData("""{ "lastSeen": { "op": "between", "value": ["-P3650D", "P1D"] } }""")]
    public void A_customer_never_seen_fails_every_last_seen_comparison(string predicate)
    {
        Assert.False(new Scenario { LastSeen = null }.Holds(predicate));
    }

    [Fact]
    public void Last_seen_offsets_beyond_the_ends_of_time_do_not_overflow()
    {
        var seen = new Scenario { LastSeen = Given.Now };

        Assert.True(seen.Holds(new LastSeenPredicate(new Comparison(ComparisonOperator.Gt, new DurationLiteral(TimeSpan.MinValue)))));
        Assert.True(seen.Holds(new LastSeenPredicate(new Comparison(ComparisonOperator.Lt, new DurationLiteral(TimeSpan.MaxValue)))));
        Assert.True(new Scenario { LastSeen = Instant.MinValue }.Holds(new LastSeenPredicate(new Comparison(ComparisonOperator.Lte, new DurationLiteral(TimeSpan.MinValue)))));
    }
}
