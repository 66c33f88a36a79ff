using System.Text.Json;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using static Waymark.Definitions.Tests.Predicates.PredicateJson;

namespace Waymark.Definitions.Tests.Segments;

/// <summary>The segments of the product contract (examples/segments.json) must validate and mean what they say.</summary>
public class ExampleSegmentTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Examples = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "segments.json")));
        return document.RootElement.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.Clone());
    });

    public static TheoryData<string> Ids => [.. Examples.Value.Keys];

    private static SegmentDefinition Read(string id)
    {
        var others = Examples.Value.Keys.Where(other => other != id);
        var parsed = SegmentReader.Read(id, Examples.Value[id], Context(others));
        Assert.Empty(parsed.Problems);
        return parsed.Value!;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Example_segment_is_accepted_with_its_name(string id)
    {
        var segment = Read(id);

        Assert.Equal(Examples.Value[id].GetProperty("name").GetString(), segment.Name);
        Assert.Empty(segment.References);
    }

    [Fact]
    public void The_examples_cover_every_segment_the_contract_lists()
    {
        Assert.Equal(8, Examples.Value.Count);
    }

    [Fact]
    public void Thirty_plus_who_never_viewed_anti_aging_reads_as_a_filtered_zero_count()
    {
        Assert.Equal(
            new AllPredicate([
                new TraitPredicate("age", Compare(ComparisonOperator.Gte, Number(30))),
                new EventPredicate(
                    "page_viewed",
                    new PropertyPredicate("topic", Compare(ComparisonOperator.Eq, Text("anti-aging"))),
                    TimeSpan.FromDays(30),
                    new CountMeasure(Compare(ComparisonOperator.Eq, Number(0)))),
            ]),
            Read("anti-aging-never-viewed-30plus").Where);
    }

    [Fact]
    public void Silver_cart_reads_trait_last_seen_and_count_over_ninety_days()
    {
        Assert.Equal(
            new AllPredicate([
                new TraitPredicate("memberLevel", Compare(ComparisonOperator.Eq, Text("silver"))),
                new LastSeenPredicate(Compare(ComparisonOperator.Gte, new DurationLiteral(TimeSpan.FromDays(-7)))),
                new EventPredicate("product_added", null, TimeSpan.FromDays(90), new CountMeasure(Compare(ComparisonOperator.Gt, Number(3)))),
            ]),
            Read("silver-cart-3").Where);
    }

    [Fact]
    public void Community_regulars_measure_distinct_days_between_eight_and_ten()
    {
        var where = Assert.IsType<AllPredicate>(Read("community-regulars").Where);

        Assert.Equal(
            new EventPredicate("community_viewed", null, TimeSpan.FromDays(30), new DaysMeasure(Compare(ComparisonOperator.Between, new RangeOperand(Number(8), Number(10))))),
            where.Predicates[2]);
    }

    [Fact]
    public void High_value_sums_the_amount_and_loyal_counts_over_all_history()
    {
        Assert.Equal(
            new EventPredicate("order_completed", null, TimeSpan.FromDays(30), new SumMeasure("amount", Compare(ComparisonOperator.Gt, Number(1000)))),
            Read("high-value-30d").Where);
        Assert.Equal(
            new EventPredicate("order_completed", null, null, new CountMeasure(Compare(ComparisonOperator.Gt, Number(3)))),
            Read("loyal").Where);
    }

    [Fact]
    public void Important_value_reads_its_rfm_class()
    {
        Assert.Equal(new RfmPredicate(RfmClass.ImportantValue), Read("important-value").Where);
    }
}
