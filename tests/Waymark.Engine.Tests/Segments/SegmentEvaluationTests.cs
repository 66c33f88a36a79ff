using CsCheck;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;
using Waymark.Engine.Segments;
using Waymark.Engine.Tests.Predicates;

namespace Waymark.Engine.Tests.Segments;

/// <summary>Membership of every segment of a workspace, checked against a brute-force evaluation, and the order rules are evaluated in.</summary>
public class SegmentEvaluationTests
{
    private static readonly SegmentSet Examples = new(Rules.Examples);

    /// <summary>Each customer's RFM class as the runtime computes it: scores, contributions summed into means, classes.</summary>
    internal static RfmClass?[] EngineRfm(IReadOnlyList<Person> people, Instant now, TimeSpan window)
    {
        var scores = people.Select(p => RfmScore.Of(p.Facts(null).History, now, window)).ToList();
        var sums = scores.Aggregate(RfmContribution.Zero, (total, score) => total.Add(RfmContribution.Delta(RfmContribution.Zero, RfmContribution.Of(score))));
        var means = RfmMeans.From(sums, now);
        return [.. scores.Select(score => Rfm.Classify(score, means))];
    }

    [Fact]
    public void Every_example_segment_matches_a_brute_force_evaluation_of_generated_customers()
    {
        var members = Rules.Examples.Keys.ToDictionary(id => id, _ => 0);
        var customers = 0;
        Population.Person.Array[200, 300].Sample(people =>
        {
            var expectedRfm = BruteForce.Rfm(people, Given.Now, windowDays: 365);
            var rfm = EngineRfm(people, Given.Now, Rfm.DefaultWindow);
            Assert.Equal(expectedRfm, rfm);
            for (var i = 0; i < people.Length; i++)
            {
                var membership = SegmentEvaluation.Evaluate(Examples, people[i].Facts(rfm[i]), Given.Now);
                var expected = Rules.Examples.Keys.Where(id => BruteForce.IsIn(id, people[i], Given.Now, expectedRfm[i])).Order(StringComparer.Ordinal);

                Assert.Equal(expected, membership.Segments.ToArray());
                foreach (var id in membership.Segments)
                {
                    members[id]++;
                }
            }

            customers += people.Length;
        }, iter: 8, threads: 1);

        // The comparison means something only if every segment both takes and leaves out generated customers.
        Assert.All(members, m => Assert.InRange(m.Value, 1, customers - 1));
    }

    [Fact]
    public void A_segment_naming_segments_is_evaluated_after_them_and_sees_their_new_result()
    {
        var set = Rules.Set(
            ("active-vip", """{ "all": [ { "segment": "vip" }, { "segment": "active" } ] }"""),
            ("lapsed-vip", """{ "all": [ { "segment": "vip" }, { "not": { "segment": "active-vip" } } ] }"""),
            ("vip", """{ "tag": "vip" }"""),
            ("active", """{ "lastSeen": { "op": "gte", "value": "-P7D" } }"""));
        var order = set.EvaluationOrder;

        Assert.True(order.IndexOf("vip") < order.IndexOf("active-vip"));
        Assert.True(order.IndexOf("active") < order.IndexOf("active-vip"));
        Assert.True(order.IndexOf("active-vip") < order.IndexOf("lapsed-vip"));

        var seenVip = new Scenario { Tags = ["vip"], LastSeen = Given.DaysAgo(1) }.Facts.Customer;
        var unseenVip = new Scenario { Tags = ["vip"], LastSeen = Given.DaysAgo(9) }.Facts.Customer;
        Assert.Equal(["active", "active-vip", "vip"], SegmentEvaluation.Evaluate(set, seenVip, Given.Now).Segments);
        Assert.Equal(["lapsed-vip", "vip"], SegmentEvaluation.Evaluate(set, unseenVip, Given.Now).Segments);
    }

    [Fact]
    public void The_segments_in_the_customer_facts_are_not_read_the_evaluation_fills_them_in()
    {
        var set = Rules.Set(("vip", """{ "tag": "vip" }"""), ("vip-too", """{ "segment": "vip" }"""));
        var claimsBoth = new Scenario { Segments = ["vip", "vip-too"] }.Facts.Customer;

        Assert.Empty(SegmentEvaluation.Evaluate(set, claimsBoth, Given.Now).Segments);
    }

    [Fact]
    public void A_segment_named_but_not_in_the_set_has_no_members()
    {
        var set = new SegmentSet(new Dictionary<string, Predicate>
        {
            ["follows-deleted"] = new SegmentPredicate("deleted"),
            ["not-deleted"] = new NotPredicate(new SegmentPredicate("deleted")),
        });

        Assert.Equal(["not-deleted"], SegmentEvaluation.Evaluate(set, new Scenario { Segments = ["deleted"] }.Facts.Customer, Given.Now).Segments);
    }

    [Fact]
    public void Segments_naming_each_other_in_a_cycle_are_refused()
    {
        var rules = new Dictionary<string, Predicate>
        {
            ["a"] = new SegmentPredicate("b"),
            ["b"] = new AllPredicate([new TagPredicate("vip"), new SegmentPredicate("a")]),
            ["c"] = new SegmentPredicate("c"),
            ["d"] = new TagPredicate("vip"),
        };

        var refused = Assert.Throws<ArgumentException>(() => new SegmentSet(rules));
        Assert.Contains("a, b, c", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_history_to_load_is_each_counted_event_over_its_longest_window()
    {
        Assert.Equal(
            new Dictionary<string, TimeSpan?>
            {
                ["page_viewed"] = TimeSpan.FromDays(30),
                ["product_added"] = TimeSpan.FromDays(90),
                ["community_viewed"] = TimeSpan.FromDays(30),
                ["order_completed"] = null, // loyal counts all history
            },
            Examples.HistoryWindows);
    }

    [Theory]
    [InlineData(null, 365)]
    [InlineData(180, 180)]
    public void A_rule_reading_rfm_needs_the_orders_over_the_rfm_window(int? rfmWindowDays, int expectedDays)
    {
        var rules = new Dictionary<string, Predicate>
        {
            ["important"] = new RfmPredicate(RfmClass.ImportantValue),
            ["recent-buyer"] = Rules.Read("""{ "event": "order_completed", "within": "P30D" }""", []),
        };
        var set = new SegmentSet(rules, rfmWindowDays is { } days ? TimeSpan.FromDays(days) : null);

        Assert.True(set.ReadsRfm);
        Assert.Equal(new Dictionary<string, TimeSpan?> { ["order_completed"] = TimeSpan.FromDays(expectedDays) }, set.HistoryWindows);
    }

    [Fact]
    public void A_set_without_rfm_rules_loads_no_orders_for_it()
    {
        var set = Rules.Set(("vip", """{ "tag": "vip" }"""));

        Assert.False(set.ReadsRfm);
        Assert.Empty(set.HistoryWindows);
    }
}
