namespace Waymark.Engine.Tests.Predicates;

/// <summary>How a trait's value meets each operator: the comparison rules shared by traits, properties and measures.</summary>
public class ComparisonTests
{
    // The trait "x" holding `trait` (null: the customer has no such trait), compared with `op` and `value` (null: none written).
    private static bool TraitHolds(string? trait, string op, string? value)
    {
        var traits = trait is null ? "{}" : $$"""{ "x": {{trait}} }""";
        var comparison = value is null ? $$"""{ "trait": "x", "op": "{{op}}" }""" : $$"""{ "trait": "x", "op": "{{op}}", "value": {{value}} }""";
        return new Scenario { Traits = Given.Json(traits) }.Holds(comparison);
    }

    [Theory]
    [InlineData("30", "eq", "30", true)]
    [InlineData("30.0", "eq", "30", true)]
    [InlineData("1e2", "eq", "100", true)]
    [InlineData("-0", "eq", "0", true)]
    [InlineData("30", "eq", "31", false)]
    [InlineData("30", "neq", "31", true)]
    [InlineData("30", "neq", "30.00", false)]
    [InlineData("31", "gt", "30", true)]
    [InlineData("30", "gt", "30", false)]
    [InlineData("30", "gte", "30", true)]
    [InlineData("29.99", "gte", "30", false)]
    [InlineData("-5", "lt", "-4.5", true)]
    [InlineData("30", "lt", "30", false)]
    [InlineData("30", "lte", "30", true)]
    [InlineData("9", "lt", "10", true)]
    [InlineData("0.3000000000000000000000000001", "gt", "0.3", true)]
    public void Numbers_compare_by_value_not_by_how_they_are_written(string trait, string op, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, value));
    }

    [Theory]
    [InlineData("1e400", "gt", "79228162514264337593543950335", true)]
    [InlineData("-1e400", "lt", "-79228162514264337593543950335", true)]
    [InlineData("123456789012345678901234567890123", "gt", "79228162514264337593543950335", true)]
    [InlineData("123456789012345678901234567890123", "eq", "1", false)]
    [InlineData("1e-400", "eq", "0", true)]
    public void Numbers_too_large_for_decimal_still_compare_as_doubles(string trait, string op, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, value));
    }

    [Theory]
    [InlineData("\"gold\"", "eq", "\"gold\"", true)]
    [InlineData("\"gold\"", "eq", "\"Gold\"", false)]
    [InlineData("\"b\"", "gt", "\"a\"", true)]
    [InlineData("\"B\"", "lt", "\"a\"", true)]
    [InlineData("\"apple\"", "lt", "\"apples\"", true)]
    [InlineData("\"é\"", "gt", "\"z\"", true)]
    [InlineData("\"10\"", "lt", "\"9\"", true)]
    [InlineData("\"silver\"", "neq", "\"gold\"", true)]
    public void Text_compares_ordinally_and_case_sensitively(string trait, string op, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, value));
    }

    [Theory]
    [InlineData("\"2027-05-20T20:00:00+08:00\"", "eq", "\"2027-05-20T12:00:00Z\"", true)]
    [InlineData("\"2027-05-20T20:00:00+08:00\"", "neq", "\"2027-05-20T12:00:00Z\"", false)]
    [InlineData("\"2027-05-20T20:00:00+08:00\"", "lt", "\"2027-05-20T13:00:00Z\"", true)]
    [InlineData("\"2027-05-20T12:30:00+00:00\"", "gt", "\"2027-05-20T20:00:00+08:00\"", true)]
    [InlineData("\"2027-05-20T12:00:00.5Z\"", "gt", "\"2027-05-20T20:00:00+08:00\"", true)]
    [InlineData("\"2027-05-20T08:00:00-05:00\"", "between", "[\"2027-05-20T12:00:00Z\", \"2027-05-20T14:00:00Z\"]", true)]
    [InlineData("\"2027-05-20T12:00:00+00:00\"", "in", "[\"2027-05-20T20:00:00+08:00\"]", true)]
    public void Timestamps_with_offsets_compare_as_instants(string trait, string op, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, value));
    }

    [Theory]
    [InlineData("\"2027-05-20T12:00:00Z\"", "gt", "\"2027-05-20\"", true)]
    [InlineData("\"2027-05-20T20:00\"", "lt", "\"2027-05-20T13:00:00Z\"", false)]
    [InlineData("\"2027-05-20T12:00:00Z\"", "startsWith", "\"2027-05-20\"", true)]
    [InlineData("\"2027-05-20T12:00:00Z\"", "contains", "\"T12\"", true)]
    public void Text_that_is_not_a_timestamp_on_both_sides_compares_as_text(string trait, string op, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, value));
    }

    [Theory]
    [InlineData("true", "eq", "true", true)]
    [InlineData("true", "eq", "false", false)]
    [InlineData("true", "neq", "false", true)]
    [InlineData("false", "in", "[true, false]", true)]
    [InlineData("false", "notIn", "[true]", true)]
    public void Booleans_compare_by_equality(string trait, string op, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, value));
    }

    [Theory]
    [InlineData("gt")]
    [InlineData("gte")]
    [InlineData("lt")]
    [InlineData("lte")]
    public void Booleans_have_no_order(string op)
    {
        var customer = new Scenario { Traits = Given.Json("""{ "x": true, "y": false }""") };

        Assert.False(customer.Holds($$"""{ "trait": "x", "op": "{{op}}", "value": { "path": "customer.traits.y" } }"""));
        Assert.False(customer.Holds($$"""{ "trait": "y", "op": "{{op}}", "value": { "path": "customer.traits.x" } }"""));
    }

    [Theory]
    [InlineData("30", "eq", "\"30\"")]
    [InlineData("30", "neq", "\"30\"")]
    [InlineData("30", "neq", "\"thirty\"")]
    [InlineData("\"30\"", "gt", "3")]
    [InlineData("\"30\"", "lte", "300")]
    [InlineData("\"30\"", "between", "[1, 100]")]
    [InlineData("true", "eq", "\"true\"")]
    [InlineData("true", "neq", "1")]
    [InlineData("30", "in", "[\"30\"]")]
    [InlineData("30", "notIn", "[\"30\", \"31\"]")]
    [InlineData("30", "contains", "\"3\"")]
    [InlineData("\"30\"", "contains", "3")]
    [InlineData("30", "startsWith", "\"3\"")]
    [InlineData("[\"a\"]", "eq", "\"a\"")]
    [InlineData("[\"a\"]", "neq", "\"b\"")]
    [InlineData("{ \"a\": 1 }", "neq", "\"x\"")]
    [InlineData("\"2027-05-20T12:00:00Z\"", "gt", "5")]
    public void Values_of_different_types_fail_every_operator_neq_included(string trait, string op, string value)
    {
        Assert.False(TraitHolds(trait, op, value));
    }

    [Fact]
    public void NotIn_holds_when_the_value_is_comparable_with_some_listed_value_and_equals_none()
    {
        Assert.True(TraitHolds("30", "notIn", "[\"30\", 31]"));
        Assert.False(TraitHolds("31", "notIn", "[\"30\", 31]"));
        Assert.False(TraitHolds("30", "notIn", "[\"30\", true]"));
    }

    [Theory]
    [InlineData("eq", "\"Beijing\"", false)]
    [InlineData("neq", "\"Beijing\"", true)]
    [InlineData("gt", "\"Beijing\"", false)]
    [InlineData("gte", "1", false)]
    [InlineData("lt", "1", false)]
    [InlineData("lte", "1", false)]
    [InlineData("in", "[\"Beijing\"]", false)]
    [InlineData("notIn", "[\"Beijing\"]", true)]
    [InlineData("contains", "\"Bei\"", false)]
    [InlineData("startsWith", "\"Bei\"", false)]
    [InlineData("between", "[1, 2]", false)]
    [InlineData("exists", null, false)]
    [InlineData("notExists", null, true)]
    public void A_missing_value_fails_every_operator_except_notExists_neq_and_notIn(string op, string? value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(null, op, value));
        Assert.Equal(expected, TraitHolds("null", op, value));
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Exists_means_present_and_not_null_even_when_empty_or_false(string trait)
    {
        Assert.True(TraitHolds(trait, "exists", null));
        Assert.False(TraitHolds(trait, "notExists", null));
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("20", true)]
    [InlineData("15.5", true)]
    [InlineData("9.999", false)]
    [InlineData("20.0001", false)]
    public void Between_includes_both_ends(string trait, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, "between", "[10, 20]"));
    }

    [Theory]
    [InlineData("\"gold\"", "in", true)]
    [InlineData("\"bronze\"", "in", false)]
    [InlineData("\"gold\"", "notIn", false)]
    [InlineData("\"bronze\"", "notIn", true)]
    public void In_and_notIn_test_membership(string trait, string op, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, op, "[\"silver\", \"gold\"]"));
    }

    [Fact]
    public void In_uses_the_same_numeric_equality_as_eq()
    {
        Assert.True(TraitHolds("1.0", "in", "[1, 2]"));
        Assert.False(TraitHolds("1.5", "in", "[1, 2]"));
    }

    [Theory]
    [InlineData("\"anti-aging cream\"", "\"aging\"", true)]
    [InlineData("\"anti-aging cream\"", "\"Aging\"", false)]
    [InlineData("[\"vip\", \"new\"]", "\"vip\"", true)]
    [InlineData("[\"vip\", \"new\"]", "\"vi\"", false)]
    [InlineData("[1, 2, 3]", "2", true)]
    [InlineData("[1, 2.0, 3]", "2", true)]
    [InlineData("[1, \"2\"]", "2", false)]
    [InlineData("[[2], { \"a\": 2 }]", "2", false)]
    [InlineData("[]", "\"vip\"", false)]
    public void Contains_finds_a_substring_of_text_or_an_equal_element_of_an_array(string trait, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, "contains", value));
    }

    [Theory]
    [InlineData("\"anti-aging\"", "\"anti\"", true)]
    [InlineData("\"Anti-aging\"", "\"anti\"", false)]
    [InlineData("\"anti\"", "\"anti-aging\"", false)]
    [InlineData("[\"anti\"]", "\"anti\"", false)]
    public void StartsWith_reads_text_ordinally(string trait, string value, bool expected)
    {
        Assert.Equal(expected, TraitHolds(trait, "startsWith", value));
    }
}
