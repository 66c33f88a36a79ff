using Waymark.Definitions.Predicates;
using static Waymark.Definitions.Tests.Predicates.PredicateJson;

namespace Waymark.Definitions.Tests.Predicates;

public class PredicateReaderTests
{
    [Fact]
    public void Every_form_of_canvas_md_reads_into_its_model()
    {
        var predicate = Valid("""
            { "all": [
              { "any": [ { "tag": "vip" }, { "segment": "loyal" } ] },
              { "not": { "rfm": "general_retain" } },
              { "trait": "age", "op": "gte", "value": 30 },
              { "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } },
              { "lastSeen": { "op": "gte", "value": "-P7D" } },
              { "event": "order_completed", "within": "P30D", "sum": { "property": "amount", "op": "gt", "value": 1000.50 } },
              { "event": "community_viewed", "within": "PT12H", "days": { "op": "between", "value": [8, 10] } }
            ] }
            """);

        Predicate expected = new AllPredicate([
            new AnyPredicate([new TagPredicate("vip"), new SegmentPredicate("loyal")]),
            new NotPredicate(new RfmPredicate(RfmClass.GeneralRetain)),
            new TraitPredicate("age", Compare(ComparisonOperator.Gte, Number(30))),
            new PropertyPredicate("orderId", Compare(ComparisonOperator.Eq, new PathOperand(new ValuePath(ValueRoot.TriggerProperties, "orderId")))),
            new LastSeenPredicate(Compare(ComparisonOperator.Gte, new DurationLiteral(TimeSpan.FromDays(-7)))),
            new EventPredicate("order_completed", null, TimeSpan.FromDays(30), new SumMeasure("amount", Compare(ComparisonOperator.Gt, Number(1000.5m)))),
            new EventPredicate("community_viewed", null, TimeSpan.FromHours(12), new DaysMeasure(Compare(ComparisonOperator.Between, new RangeOperand(Number(8), Number(10))))),
        ]);
        Assert.Equal(expected, predicate);
    }

    [Fact]
    public void An_event_predicate_with_no_measure_means_the_event_happened_at_least_once()
    {
        var predicate = Assert.IsType<EventPredicate>(Valid("""{ "event": "order_completed" }"""));

        Assert.Equal(new CountMeasure(Compare(ComparisonOperator.Gte, Number(1))), predicate.Measure);
        Assert.Null(predicate.Within);
        Assert.Null(predicate.Where);
    }

    [Fact]
    public void Literals_keep_their_json_type()
    {
        var predicate = Assert.IsType<TraitPredicate>(Valid("""{ "trait": "plan", "op": "in", "value": ["gold", 3, true, 2.25] }"""));

        Assert.Equal(new ListOperand([Text("gold"), Number(3), new BooleanLiteral(true), Number(2.25m)]), predicate.Comparison.Operand);
    }

    [Theory]
    [InlineData("exists")]
    [InlineData("notExists")]
    public void Exists_and_not_exists_read_with_no_operand(string op)
    {
        var predicate = Assert.IsType<TraitPredicate>(Valid($$"""{ "trait": "email", "op": "{{op}}" }"""));

        Assert.Null(predicate.Comparison.Operand);
        Assert.Equal(op, PredicateNames.Of(predicate.Comparison.Operator));
    }

    [Fact]
    public void Trait_and_property_names_may_reach_into_nested_values()
    {
        var predicate = Assert.IsType<TraitPredicate>(Valid("""{ "trait": "address.city", "op": "eq", "value": "Beijing" }"""));

        Assert.Equal("address.city", predicate.Trait);
    }

    [Fact]
    public void Between_two_timestamps_orders_them_as_instants_not_as_text()
    {
        // As text the low end sorts after the high end; as instants it is four hours before it.
        Valid("""{ "trait": "joinedAt", "op": "between", "value": ["2027-01-02T00:00:00+08:00", "2027-01-01T20:00:00Z"] }""");

        var problem = Problem("""{ "trait": "joinedAt", "op": "between", "value": ["2027-01-02T06:00:00+08:00", "2027-01-01T20:00:00Z"] }""");
        Assert.Equal("$.value", problem.Path);
        Assert.Contains("low ≤ high", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_at_the_top_of_a_segment_is_refused_with_a_reason()
    {
        var problem = Problem("""{ "not": { "property": "score", "op": "lt", "value": 7 } }""", PredicateScope.Segment);

        Assert.Equal("$.not", problem.Path);
        Assert.Contains("no event here", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Property_inside_an_event_where_reads_the_counted_event_even_in_a_segment()
    {
        var predicate = Assert.IsType<EventPredicate>(Valid(
            """{ "event": "page_viewed", "where": { "any": [ { "property": "topic", "op": "startsWith", "value": "anti" } ] } }""",
            PredicateScope.Segment));

        Assert.Equal(new AnyPredicate([new PropertyPredicate("topic", Compare(ComparisonOperator.StartsWith, Text("anti")))]), predicate.Where);
    }

    [Theory]
    [InlineData("trigger.properties.orderId")]
    [InlineData("event.properties.orderId")]
    public void Run_paths_are_refused_in_segments_and_trigger_wheres(string path)
    {
        var json = $$"""{ "property": "orderId", "op": "eq", "value": { "path": "{{path}}" } }""";
        var segment = Problem($$"""{ "event": "paid", "where": {{json}} }""", PredicateScope.Segment);
        var trigger = Problem(json, PredicateScope.TriggerWhere);

        Assert.Equal("$.where.value.path", segment.Path);
        Assert.Equal("$.value.path", trigger.Path);
        Assert.Contains("journey run", trigger.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_paths_are_read_inside_a_run()
    {
        var json = """{ "property": "orderId", "op": "eq", "value": { "path": "event.properties.order.id" } }""";

        var condition = Assert.IsType<PropertyPredicate>(Valid(json, PredicateScope.Condition));
        var waitEvent = Assert.IsType<PropertyPredicate>(Valid(json, PredicateScope.RunEventWhere));

        Assert.Equal(new PathOperand(new ValuePath(ValueRoot.EventProperties, "order.id")), condition.Comparison.Operand);
        Assert.Equal(condition, waitEvent);
    }

    [Fact]
    public void Customer_trait_paths_are_read_in_every_scope()
    {
        var json = """{ "trait": "city", "op": "neq", "value": { "path": "customer.traits.homeCity" } }""";

        foreach (var scope in new[] { PredicateScope.Segment, PredicateScope.TriggerWhere, PredicateScope.RunEventWhere, PredicateScope.Condition })
        {
            var predicate = Assert.IsType<TraitPredicate>(Valid(json, scope));
            Assert.Equal(new PathOperand(new ValuePath(ValueRoot.CustomerTraits, "homeCity")), predicate.Comparison.Operand);
        }
    }

    [Fact]
    public void An_object_that_is_no_predicate_lists_the_known_forms_and_suggests_the_near_miss()
    {
        var (predicate, problems) = Read("""{ "triat": "age", "op": "gte", "value": 30 }""");

        Assert.Null(predicate);
        Assert.Collection(
            problems,
            p => Assert.Equal(("$", true), (p.Path, p.Message.Contains("'all', 'any', 'not', 'trait', 'tag', 'segment', 'property', 'event', 'lastSeen', 'rfm'", StringComparison.Ordinal))),
            p => Assert.Equal(("$.triat", true), (p.Path, p.Message.Contains("did you mean 'trait'?", StringComparison.Ordinal))));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_each_at_its_path()
    {
        var (predicate, problems) = Read("""
            { "all": [
              { "trait": "age", "op": "gte" },
              { "event": "order_completed", "within": "P1M", "count": { "op": "gt", "value": "3" } },
              { "segment": "gold" },
              { "rfm": "whales" },
              { "tag": "vip", "colour": "red" }
            ] }
            """);

        Assert.Null(predicate);
        Assert.Equal(
            ["$.all[0].value", "$.all[1].within", "$.all[1].count.value", "$.all[2].segment", "$.all[3].rfm", "$.all[4].colour"],
            problems.Select(p => p.Path));
    }

    [Fact]
    public void Predicates_nested_32_levels_deep_are_read()
    {
        var json = string.Concat(Enumerable.Repeat("""{ "not": """, PredicateReader.MaxDepth - 1)) + """{ "tag": "vip" }""" + new string('}', PredicateReader.MaxDepth - 1);

        var predicate = Valid(json);

        var depth = 1;
        while (predicate is NotPredicate not)
        {
            (predicate, depth) = (not.Negated, depth + 1);
        }

        Assert.Equal(PredicateReader.MaxDepth, depth);
    }

    [Fact]
    public void Deeper_nesting_is_one_problem_at_the_first_level_too_deep_not_a_stack_overflow()
    {
        const int levels = 1000;
        var json = string.Concat(Enumerable.Repeat("""{ "any": [""", levels)) + """{ "tag": "vip" }""" + string.Concat(Enumerable.Repeat("]}", levels));

        var problem = Problem(json);

        Assert.Equal("$" + string.Concat(Enumerable.Repeat(".any[0]", PredicateReader.MaxDepth)), problem.Path);
        Assert.Contains("more than 32 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Referenced_segments_are_found_at_any_depth_once_each_in_order()
    {
        var predicate = Valid("""
            { "any": [
              { "segment": "loyal" },
              { "not": { "all": [ { "segment": "diamond-vip" }, { "tag": "x" } ] } },
              { "event": "order_completed", "where": { "segment": "loyal" } }
            ] }
            """);

        Assert.Equal(["diamond-vip", "loyal"], predicate.ReferencedSegments());
        Assert.Empty(new TagPredicate("vip").ReferencedSegments());
    }

    [Fact]
    public void Two_readings_of_one_predicate_are_equal_and_a_changed_value_is_not()
    {
        const string json = """{ "all": [ { "trait": "plan", "op": "in", "value": ["gold", "silver"] }, { "tag": "vip" } ] }""";

        Assert.Equal(Valid(json), Valid(json));
        Assert.NotEqual(Valid(json), Valid(json.Replace("silver", "bronze", StringComparison.Ordinal)));
    }
}
