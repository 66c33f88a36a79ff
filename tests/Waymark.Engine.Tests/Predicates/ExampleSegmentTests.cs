using System.Text.Json;
using Waymark.Definitions;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>Every segment of the product contract (examples/segments.json), with customers just inside and just outside it.</summary>
public class ExampleSegmentTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Examples = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "segments.json")));
        return document.RootElement.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.Clone());
    });

    private static readonly string[] Tested =
    [
        "anti-aging-never-viewed-30plus", "silver-cart-3", "community-regulars", "high-value-30d",
        "loyal", "active-7d-no-purchase", "diamond-vip", "important-value",
    ];

    private static Predicate Rule(string id)
    {
        var context = DefinitionContext.Empty(Given.Now) with
        {
            Segments = Examples.Value.Keys.Where(other => other != id)
                .ToDictionary(other => other, _ => (IReadOnlySet<string>)new HashSet<string>(), StringComparer.Ordinal),
        };
        var parsed = SegmentReader.Read(id, Examples.Value[id], context);
        Assert.Empty(parsed.Problems);
        return parsed.Value!.Where;
    }

    private static bool IsIn(string id, Scenario customer) => customer.Holds(Rule(id));

    private static CustomerEvent[] Repeat(int times, Func<int, CustomerEvent> make) => [.. Enumerable.Range(0, times).Select(make)];

    [Fact]
    public void Every_example_segment_is_evaluated_here()
    {
        Assert.Equal(Examples.Value.Keys.Order(StringComparer.Ordinal), Tested.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, false)]
    [InlineData(31, true)]
    public void Thirty_plus_who_viewed_anti_aging_content_within_thirty_days_are_out(double viewedDaysAgo, bool expected)
    {
        var customer = new Scenario
        {
            Traits = Given.Json("""{ "age": 35 }"""),
            History =
            [
                Given.Event("page_viewed", Given.DaysAgo(viewedDaysAgo), """{ "topic": "anti-aging" }"""),
                Given.Event("page_viewed", Given.DaysAgo(1), """{ "topic": "sunscreen" }"""),
            ],
        };

        Assert.Equal(expected, IsIn("anti-aging-never-viewed-30plus", customer));
    }

    [Theory]
    [InlineData("""{ "age": 30 }""", true)]
    [InlineData("""{ "age": 29 }""", false)]
    [InlineData("""{ "age": "35" }""", false)]
    [InlineData("{}", false)]
    public void Thirty_plus_needs_a_numeric_age_of_thirty_or_more(string traits, bool expected)
    {
        Assert.Equal(expected, IsIn("anti-aging-never-viewed-30plus", new Scenario { Traits = Given.Json(traits) }));
    }

    [Theory]
    [InlineData("silver", 2, 4, 89, true)]
    [InlineData("silver", 2, 3, 89, false)]
    [InlineData("silver", 2, 4, 91, false)]
    [InlineData("silver", 8, 4, 89, false)]
    [InlineData("gold", 2, 4, 89, false)]
    public void Silver_members_seen_in_seven_days_with_more_than_three_cart_adds_in_ninety_days(
        string level, double seenDaysAgo, int cartAdds, double oldestAddDaysAgo, bool expected)
    {
        var customer = new Scenario
        {
            Traits = Given.Json($$"""{ "memberLevel": "{{level}}" }"""),
            LastSeen = Given.DaysAgo(seenDaysAgo),
            History = Repeat(cartAdds, i => Given.Event("product_added", Given.DaysAgo(i == 0 ? oldestAddDaysAgo : i))),
        };

        Assert.Equal(expected, IsIn("silver-cart-3", customer));
    }

    [Theory]
    [InlineData(2, 150, 8, true)]
    [InlineData(2, 150, 10, true)]
    [InlineData(2, 150, 7, false)]
    [InlineData(2, 150, 11, false)]
    [InlineData(5, 150, 9, false)]
    [InlineData(2, 100, 9, false)]
    public void Community_regulars_have_few_notes_many_points_and_eight_to_ten_active_days(int notes, int points, int activeDays, bool expected)
    {
        var customer = new Scenario
        {
            Traits = Given.Json($$"""{ "notesPublished": {{notes}}, "points": {{points}} }"""),
            // Three visits on each active day: days are counted, not visits.
            History = Repeat(activeDays * 3, i => Given.Event("community_viewed", Given.DaysAgo(i / 3 * 2 + (i % 3 * 0.01)))),
        };

        Assert.Equal(expected, IsIn("community-regulars", customer));
    }

    [Theory]
    [InlineData("600", "400.01", 29, true)]
    [InlineData("600", "400", 29, false)]
    [InlineData("600", "400.01", 31, false)]
    public void High_value_customers_spent_over_one_thousand_in_thirty_days(string first, string second, double secondDaysAgo, bool expected)
    {
        var customer = new Scenario
        {
            History =
            [
                Given.Event("order_completed", Given.DaysAgo(1), $$"""{ "amount": {{first}} }"""),
                Given.Event("order_completed", Given.DaysAgo(secondDaysAgo), $$"""{ "amount": {{second}} }"""),
            ],
        };

        Assert.Equal(expected, IsIn("high-value-30d", customer));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(3, false)]
    public void Loyal_customers_bought_more_than_three_times_ever(int orders, bool expected)
    {
        var customer = new Scenario { History = Repeat(orders, i => Given.Event("order_completed", Given.DaysAgo(400 * i))) };

        Assert.Equal(expected, IsIn("loyal", customer));
    }

    [Theory]
    [InlineData(1.0, null, true)]
    [InlineData(1.0, 31.0, true)]
    [InlineData(1.0, 10.0, false)]
    [InlineData(8.0, null, false)]
    public void Active_in_seven_days_with_no_purchase_in_thirty(double seenDaysAgo, double? orderedDaysAgo, bool expected)
    {
        var customer = new Scenario
        {
            LastSeen = Given.DaysAgo(seenDaysAgo),
            History = orderedDaysAgo is { } days ? [Given.Event("order_completed", Given.DaysAgo(days))] : [],
        };

        Assert.Equal(expected, IsIn("active-7d-no-purchase", customer));
    }

    [Fact]
    public void A_customer_never_seen_is_not_active()
    {
        Assert.False(IsIn("active-7d-no-purchase", new Scenario { LastSeen = null }));
    }

    [Theory]
    [InlineData("""{ "memberLevel": "diamond" }""", true)]
    [InlineData("""{ "memberLevel": "Diamond" }""", false)]
    [InlineData("""{ "memberLevel": "gold" }""", false)]
    [InlineData("{}", false)]
    public void Diamond_vip_is_the_diamond_member_level(string traits, bool expected)
    {
        Assert.Equal(expected, IsIn("diamond-vip", new Scenario { Traits = Given.Json(traits) }));
    }

    [Theory]
    [InlineData(RfmClass.ImportantValue, true)]
    [InlineData(RfmClass.ImportantKeep, false)]
    [InlineData(RfmClass.GeneralValue, false)]
    [InlineData(null, false)]
    public void Important_value_is_the_rfm_class(RfmClass? rfm, bool expected)
    {
        Assert.Equal(expected, IsIn("important-value", new Scenario { Rfm = rfm }));
    }
}
