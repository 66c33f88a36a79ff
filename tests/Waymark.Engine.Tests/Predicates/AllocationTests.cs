using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>
/// Evaluation runs on every event for every predicate a customer is subject to, so apart from the text it
/// reads out of JSON (a string per text value compared) it must not allocate.
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData("""{ "all": [ { "trait": "age", "op": "gte", "value": 30 }, { "tag": "vip" }, { "segment": "loyal" } ] }""")]
    [InlineData("""{ "trait": "tier", "op": "in", "value": [1, 2, 3] }""")]
    [InlineData("""{ "trait": "optedIn", "op": "neq", "value": false }""")]
    [InlineData("""{ "trait": "scores", "op": "contains", "value": 7 }""")]
    [InlineData("""{ "any": [ { "lastSeen": { "op": "gte", "value": "-P7D" } }, { "rfm": "important_value" } ] }""")]
    [InlineData("""{ "event": "page_viewed", "where": { "property": "seconds", "op": "gte", "value": 30 }, "within": "P30D", "count": { "op": "eq", "value": 0 } }""")]
    [InlineData("""{ "event": "order_completed", "within": "P30D", "sum": { "property": "amount", "op": "gt", "value": 1000 } }""")]
    [InlineData("""{ "event": "page_viewed", "within": "P30D", "days": { "op": "between", "value": [8, 10] } }""")]
    [InlineData("""{ "property": "orderNumber", "op": "eq", "value": { "path": "trigger.properties.orderNumber" } }""")]
    public void Evaluating_numbers_booleans_memberships_and_counted_events_allocates_nothing(string json)
    {
        var predicate = Given.Predicate(json);
        var facts = new Scenario
        {
            Traits = Given.Json("""{ "age": 35, "tier": 2, "optedIn": true, "scores": [3, 7] }"""),
            Tags = ["vip"],
            Segments = ["loyal"],
            LastSeen = Given.DaysAgo(1),
            History =
            [
                .. Enumerable.Range(0, 20).Select(i => Given.Event("page_viewed", Given.DaysAgo(i), """{ "seconds": 12 }""")),
                .. Enumerable.Range(0, 5).Select(i => Given.Event("order_completed", Given.DaysAgo(i), """{ "amount": 300.5 }""")),
            ],
            Current = Given.Event("payment_received", Given.Now, """{ "orderNumber": 1001 }"""),
            Trigger = Given.Json("""{ "orderNumber": 1001 }"""),
        }.Facts;
        var expected = PredicateEvaluator.Evaluate(predicate, facts);
        for (var i = 0; i < 100; i++)
        {
            PredicateEvaluator.Evaluate(predicate, facts);
        }

        var agreeing = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            agreeing += PredicateEvaluator.Evaluate(predicate, facts) == expected ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1_000, agreeing);
        Assert.Equal(0, allocated);
    }
}
