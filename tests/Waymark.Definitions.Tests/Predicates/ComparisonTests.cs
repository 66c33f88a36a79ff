using Waymark.Definitions.Predicates;
using static Waymark.Definitions.Tests.Predicates.PredicateJson;

namespace Waymark.Definitions.Tests.Predicates;

/// <summary>Which operand each operator takes, and type clashes where the compared type is known.</summary>
public class ComparisonTests
{
    [Theory]
    [InlineData("""{ "op": "eq", "value": "gold" }""")]
    [InlineData("""{ "op": "neq", "value": false }""")]
    [InlineData("""{ "op": "gt", "value": 3.5 }""")]
    [InlineData("""{ "op": "lte", "value": "2027-05-20T20:00:00+08:00" }""")]
    [InlineData("""{ "op": "contains", "value": "x" }""")]
    [InlineData("""{ "op": "contains", "value": 7 }""")]
    [InlineData("""{ "op": "startsWith", "value": "anti" }""")]
    [InlineData("""{ "op": "notIn", "value": [1] }""")]
    [InlineData("""{ "op": "between", "value": ["a", "b"] }""")]
    [InlineData("""{ "op": "between", "value": [-3, -3] }""")]
    [InlineData("""{ "op": "gte", "value": { "path": "customer.traits.limit" } }""")]
    public void A_trait_of_unknown_type_takes_any_operand_its_operator_can_use(string comparison)
    {
        Valid($$"""{ "trait": "x", {{comparison[1..^1]}} }""");
    }

    [Theory]
    [InlineData("""{ "op": "gt", "value": true }""", "'gt' orders numbers, text or timestamps, not a boolean")]
    [InlineData("""{ "op": "gte", "value": null }""", "is required: 'gte' compares with a value")]
    [InlineData("""{ "op": "startsWith", "value": 1 }""", "'startsWith' takes text, not a number")]
    [InlineData("""{ "op": "contains", "value": true }""", "'contains' takes text or a number, not a boolean")]
    [InlineData("""{ "op": "eq", "value": [1, 2] }""", "use 'in' for a list")]
    [InlineData("""{ "op": "neq", "value": [1, 2] }""", "use 'notIn' for a list")]
    [InlineData("""{ "op": "eq", "value": { "amount": 3 } }""", "not an object without 'path'")]
    [InlineData("""{ "op": "in", "value": "gold" }""", "'in' takes a list of values")]
    [InlineData("""{ "op": "between", "value": [1, 2, 3] }""", "two values, not 3")]
    [InlineData("""{ "op": "between", "value": ["2027-01-01T00:00:00Z", 5] }""", "two values of one type, not a string and a number")]
    [InlineData("""{ "op": "between", "value": ["b", "a"] }""", "low ≤ high, not ['b', 'a']")]
    [InlineData("""{ "op": "exists", "value": 1 }""", "'exists' takes no value")]
    [InlineData("""{ "op": "eq", "value": 1e400 }""", "too large a number")]
    public void An_operand_that_does_not_fit_its_operator_is_refused_at_the_value(string comparison, string message)
    {
        var problem = Problem($$"""{ "trait": "x", {{comparison[1..^1]}} }""");

        Assert.Equal("$.value", problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_bad_item_of_a_list_is_reported_at_its_index()
    {
        var (_, problems) = Read("""{ "trait": "x", "op": "in", "value": ["a", null, { "path": "customer.traits.y" }, [1]] }""");

        Assert.Equal(["$.value[1]", "$.value[2]", "$.value[3]"], problems.Select(p => p.Path));
    }

    [Theory]
    [InlineData("count", """ "3" """, "count is a number; '3' is a string")]
    [InlineData("count", "true", "count is a number; true is a boolean")]
    [InlineData("days", """ "x" """, "days is a number; 'x' is a string")]
    [InlineData("count", "-1", "count is a whole number of 0 or more, not -1")]
    [InlineData("days", "2.5", "days is a whole number of 0 or more, not 2.5")]
    public void Counts_and_days_are_whole_numbers_and_a_string_is_a_type_clash(string measure, string value, string message)
    {
        var problem = Problem($$"""{ "event": "e", "{{measure}}": { "op": "eq", "value": {{value}} } }""");

        Assert.Equal($"$.{measure}.value", problem.Path);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void A_sum_takes_any_number_including_fractions_and_negatives()
    {
        var predicate = Assert.IsType<EventPredicate>(Valid("""{ "event": "refund", "sum": { "property": "amount", "op": "between", "value": [-10.5, 0] } }"""));

        Assert.Equal(new SumMeasure("amount", Compare(ComparisonOperator.Between, new RangeOperand(Number(-10.5m), Number(0)))), predicate.Measure);
    }

    [Theory]
    [InlineData("count", "contains")]
    [InlineData("days", "exists")]
    [InlineData("sum", "startsWith")]
    public void Text_and_presence_operators_do_not_apply_to_measures(string measure, string op)
    {
        var sumProperty = measure == "sum" ? """ "property": "amount", """ : "";
        var problem = Problem($$"""{ "event": "e", "{{measure}}": { {{sumProperty}} "op": "{{op}}", "value": 1 } }""");

        Assert.Equal($"$.{measure}.op", problem.Path);
        Assert.Contains($"'{op}' does not apply to {measure}: use one of 'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'between'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Last_seen_takes_negative_durations_and_ranges_of_them()
    {
        var predicate = Assert.IsType<LastSeenPredicate>(Valid("""{ "lastSeen": { "op": "between", "value": ["-P14D", "-PT36H"] } }"""));

        Assert.Equal(
            Compare(ComparisonOperator.Between, new RangeOperand(new DurationLiteral(TimeSpan.FromDays(-14)), new DurationLiteral(TimeSpan.FromHours(-36)))),
            predicate.Comparison);
    }

    [Theory]
    [InlineData("""{ "op": "eq", "value": "-P7D" }""", "$.lastSeen.op", "'eq' does not apply to lastSeen: use one of 'gt', 'gte', 'lt', 'lte', 'between'")]
    [InlineData("""{ "op": "gte", "value": 7 }""", "$.lastSeen.value", "lastSeen is a duration such as '-P7D'; 7 is a number")]
    [InlineData("""{ "op": "gte", "value": "-P1M" }""", "$.lastSeen.value", "months and years")]
    [InlineData("""{ "op": "between", "value": ["-P1D", "-P7D"] }""", "$.lastSeen.value", "low ≤ high")]
    [InlineData("""{ "op": "gte", "value": { "path": "customer.traits.since" } }""", "$.lastSeen.value", "lastSeen is a duration such as '-P7D', not an object")]
    public void Last_seen_compares_only_with_durations(string comparison, string path, string message)
    {
        var problem = Problem($$"""{ "lastSeen": {{comparison}} }""");

        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }
}
