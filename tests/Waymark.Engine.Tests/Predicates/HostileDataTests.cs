using System.Text.Json.Nodes;
using NodaTime;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>Customer data no one designed for: evaluation answers, and never throws.</summary>
public class HostileDataTests
{
    [Fact]
    public void Text_no_json_can_carry_reads_as_missing()
    {
        var customer = new Scenario
        {
            Traits = Given.Json("""{ "name": "\ud800" }"""),
            Current = Given.Event("e", Given.Now, """{ "name": "a\udfffb" }"""),
        };

        Assert.False(customer.Holds("""{ "trait": "name", "op": "exists" }"""));
        Assert.False(customer.Holds("""{ "trait": "name", "op": "eq", "value": "x" }"""));
        Assert.True(customer.Holds("""{ "trait": "name", "op": "neq", "value": "x" }"""));
        Assert.False(customer.Holds("""{ "property": "name", "op": "contains", "value": "a" }"""));
    }

    [Fact]
    public void An_array_holding_unreadable_text_still_contains_its_readable_items_but_equals_nothing()
    {
        var customer = new Scenario
        {
            Traits = Given.Json("""{ "list": ["\ud800", "vip"], "other": ["\ud800", "vip"] }"""),
        };

        Assert.True(customer.Holds("""{ "trait": "list", "op": "contains", "value": "vip" }"""));
        Assert.False(customer.Holds("""{ "trait": "list", "op": "eq", "value": { "path": "customer.traits.other" } }"""));
        Assert.False(customer.Holds("""{ "trait": "list", "op": "neq", "value": { "path": "customer.traits.other" } }"""));
    }

    [Fact]
    public void A_deeply_nested_trait_is_read_and_compared_without_overflowing()
    {
        const int Depth = 2_000;
        var deep = string.Concat(Enumerable.Repeat("""{ "a": """, Depth)) + "1" + new string('}', Depth);
        var customer = new Scenario { Traits = Given.Json($$"""{ "deep": {{deep}}, "copy": {{deep}} }""") };

        Assert.True(customer.Holds("""{ "trait": "deep.a.a.a", "op": "exists" }"""));
        Assert.True(customer.Holds("""{ "trait": "deep", "op": "eq", "value": { "path": "customer.traits.copy" } }"""));
        Assert.False(customer.Holds("""{ "trait": "deep", "op": "contains", "value": 1 }"""));
    }

    [Fact]
    public void Values_built_in_code_compare_like_the_json_they_stand_for()
    {
        var customer = new Scenario
        {
            Traits = new JsonObject
            {
                ["age"] = 35,
                ["name"] = "Ann",
                ["vip"] = true,
                ["joined"] = new DateTimeOffset(2027, 5, 20, 20, 0, 0, TimeSpan.FromHours(8)),
                ["scores"] = new JsonArray(1, 2.5m),
            },
        };

        Assert.True(customer.Holds("""{ "trait": "age", "op": "gte", "value": 30 }"""));
        Assert.True(customer.Holds("""{ "trait": "name", "op": "eq", "value": "Ann" }"""));
        Assert.True(customer.Holds("""{ "trait": "vip", "op": "eq", "value": true }"""));
        Assert.True(customer.Holds("""{ "trait": "joined", "op": "eq", "value": "2027-05-20T12:00:00Z" }"""));
        Assert.True(customer.Holds("""{ "trait": "scores", "op": "contains", "value": 2.5 }"""));
    }

    [Fact]
    public void A_number_with_no_json_form_reads_as_missing()
    {
        var customer = new Scenario { Traits = new JsonObject { ["x"] = double.NaN, ["y"] = double.PositiveInfinity } };

        Assert.True(customer.Holds("""{ "trait": "x", "op": "notExists" }"""));
        Assert.False(customer.Holds("""{ "trait": "y", "op": "gt", "value": 0 }"""));
    }

    [Fact]
    public void A_huge_text_is_compared_as_text()
    {
        var huge = new string('a', 1_000_000);
        var customer = new Scenario { Traits = new JsonObject { ["x"] = huge + "T" } };

        Assert.True(customer.Holds("""{ "trait": "x", "op": "startsWith", "value": "aaa" }"""));
        Assert.True(customer.Holds("""{ "trait": "x", "op": "gt", "value": "aaa" }"""));
    }

    [Fact]
    public void Text_shaped_like_a_timestamp_but_invalid_compares_as_text()
    {
        var customer = new Scenario { Traits = Given.Json("""{ "x": "2027-13-45T99:00:00Z" }""") };

        Assert.True(customer.Holds("""{ "trait": "x", "op": "gt", "value": "2027-05-20T12:00:00Z" }"""));
        Assert.False(customer.Holds("""{ "trait": "x", "op": "eq", "value": "2027-05-20T12:00:00Z" }"""));
    }

    [Fact]
    public void An_event_whose_properties_hold_anything_is_counted_without_throwing()
    {
        var customer = new Scenario
        {
            History =
            [
                new("order_completed", Given.Now, new JsonObject { ["amount"] = double.NaN }),
                new("order_completed", Given.Now, Given.Json("""{ "amount": { "amount": 5 } }""")),
                new("order_completed", Instant.MaxValue, Given.Json("""{ "amount": 5 }""")),
            ],
        };

        Assert.True(customer.Holds("""{ "event": "order_completed", "sum": { "property": "amount", "op": "eq", "value": 0 } }"""));
        Assert.True(customer.Holds("""{ "event": "order_completed", "count": { "op": "eq", "value": 2 } }"""));
    }
}
