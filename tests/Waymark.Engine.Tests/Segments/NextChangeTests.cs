using CsCheck;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;
using Waymark.Engine.Segments;
using Waymark.Engine.Tests.Predicates;

namespace Waymark.Engine.Tests.Segments;

/// <summary>
/// <see cref="SegmentMembership.NextChange"/>: membership holds at every instant before it, with no new data, and the
/// clock-driven flips (a window emptying, lastSeen growing old) happen exactly at it.
/// </summary>
public class NextChangeTests
{
    private static readonly SegmentSet Examples = new(Rules.Examples);

    private static readonly Duration Day = Duration.FromDays(1);

    private static readonly Gen<double[]> Fractions = Gen.Double[0, 0.999].Array[6];

    /// <summary>
    /// Follows the wake-ups a runtime would schedule from <paramref name="start"/>: at each, the membership is the
    /// same somewhere in between (a fraction of the way) and one tick before the next wake-up.
    /// </summary>
    private static void HoldsUntilEachNextChange(SegmentSet set, CustomerFacts customer, Instant start, double[] fractions)
    {
        var now = start;
        foreach (var fraction in fractions)
        {
            var membership = SegmentEvaluation.Evaluate(set, customer, now);
            ISet<string> At(Instant instant) => SegmentEvaluation.Evaluate(set, customer, instant).Segments;
            if (membership.NextChange is not { } next)
            {
                Assert.Equal(membership.Segments, At(now + (Day * 400 * fraction)));
                return;
            }

            Assert.True(next > now, $"next change {next} is not after {now}");
            Assert.Equal(membership.Segments, At(now + ((next - now) * fraction)));
            Assert.Equal(membership.Segments, At(next - Duration.Epsilon));
            if (next > Instant.FromUtc(9000, 1, 1, 0, 0))
            {
                return; // hostile durations put changes near the end of time, where instants cannot move further
            }

            now = next;
        }
    }

    [Fact]
    public void Generated_customers_keep_their_example_segments_until_each_next_change()
    {
        Gen.Select(Population.Person, Gen.Enum<RfmClass>(), Fractions).Sample((person, rfm, fractions) =>
            HoldsUntilEachNextChange(Examples, person.Facts(rfm), Given.Now, fractions), iter: 1_000);
    }

    [Fact]
    public void Generated_rules_over_hostile_data_keep_their_result_until_each_next_change()
    {
        // Two rules the generator may name ("loyal", "diamond-vip") and one naming either, never in a cycle.
        var rules = Gen.Select(EvaluationGenerators.Predicate(depth: 3), EvaluationGenerators.Predicate(depth: 3), EvaluationGenerators.Predicate(depth: 3))
            .Where((loyal, vip, _) =>
                !loyal.ReferencedSegments().Contains("loyal") && !vip.ReferencedSegments().Contains("diamond-vip")
                && !(loyal.ReferencedSegments().Contains("diamond-vip") && vip.ReferencedSegments().Contains("loyal")))
            .Select((loyal, vip, other) => new SegmentSet(new Dictionary<string, Predicate> { ["loyal"] = loyal, ["diamond-vip"] = vip, ["other"] = other }));

        Gen.Select(EvaluationGenerators.Scenario, rules, Fractions).Sample((customer, set, fractions) =>
            HoldsUntilEachNextChange(set, customer.Facts.Customer, Given.Now, fractions), iter: 3_000);
    }

    [Fact]
    public void No_order_in_thirty_days_holds_just_after_thirty_days_from_the_last_order()
    {
        var set = Rules.Set(("lapsed", """{ "event": "order_completed", "within": "P30D", "count": { "op": "eq", "value": 0 } }"""));
        var (first, last) = (Given.DaysAgo(20), Given.DaysAgo(5));
        var customer = new Scenario { History = [Given.Event("order_completed", first), Given.Event("order_completed", last)] }.Facts.Customer;

        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);
        Assert.Empty(now.Segments);
        Assert.Equal(first + (30 * Day) + Duration.Epsilon, now.NextChange);

        // The first order leaving changes nothing; the runtime wakes then and is sent on to the last one leaving.
        var firstGone = SegmentEvaluation.Evaluate(set, customer, now.NextChange!.Value);
        Assert.Empty(firstGone.Segments);
        Assert.Equal(last + (30 * Day) + Duration.Epsilon, firstGone.NextChange);

        Assert.Empty(SegmentEvaluation.Evaluate(set, customer, last + (30 * Day)).Segments);
        var lapsed = SegmentEvaluation.Evaluate(set, customer, firstGone.NextChange!.Value);
        Assert.Equal(["lapsed"], lapsed.Segments);
        Assert.Null(lapsed.NextChange);
    }

    [Fact]
    public void Seen_in_seven_days_ends_just_after_seven_days_from_the_last_event()
    {
        var set = Rules.Set(("active", """{ "lastSeen": { "op": "gte", "value": "-P7D" } }"""));
        var seen = Given.DaysAgo(2);
        var customer = new Scenario { LastSeen = seen }.Facts.Customer;

        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);
        Assert.Equal(["active"], now.Segments);
        Assert.Equal(seen + (7 * Day) + Duration.Epsilon, now.NextChange);
        Assert.Equal(["active"], SegmentEvaluation.Evaluate(set, customer, seen + (7 * Day)).Segments);

        var gone = SegmentEvaluation.Evaluate(set, customer, now.NextChange!.Value);
        Assert.Empty(gone.Segments);
        Assert.Null(gone.NextChange);
    }

    [Theory]
    [InlineData("gte", "\"-P7D\"", 2, 7, true)]
    [InlineData("gt", "\"-P7D\"", 2, 7, false)]
    [InlineData("lt", "\"-P7D\"", 2, 7, true)]
    [InlineData("lte", "\"-P7D\"", 2, 7, false)]
    [InlineData("between", "[\"-P7D\", \"-P1D\"]", 2, 7, true)]
    [InlineData("between", "[\"-P7D\", \"-P1D\"]", 0.5, 1, false)]
    public void Each_last_seen_comparison_flips_exactly_at_the_next_change(string op, string value, double seenDaysAgo, int flipDaysAfterSeen, bool oneTickLater)
    {
        var set = Rules.Set(("seen", $$"""{ "lastSeen": { "op": "{{op}}", "value": {{value}} } }"""));
        var seen = Given.DaysAgo(seenDaysAgo);
        var customer = new Scenario { LastSeen = seen }.Facts.Customer;
        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);
        var next = seen + (flipDaysAfterSeen * Day) + (oneTickLater ? Duration.Epsilon : Duration.Zero);

        Assert.Equal(next, now.NextChange);
        Assert.Equal(now.Segments, SegmentEvaluation.Evaluate(set, customer, next - Duration.Epsilon).Segments);
        Assert.NotEqual(now.Segments, SegmentEvaluation.Evaluate(set, customer, next).Segments);
    }

    [Fact]
    public void A_timestamp_trait_compared_with_a_duration_from_now_flips_where_they_meet()
    {
        // Only lastSeen reads durations from JSON, but the evaluator reads them in any comparison a rule built in code holds.
        var renewsWithinADay = new TraitPredicate("renewsAt", new Comparison(ComparisonOperator.Lte, new DurationLiteral(TimeSpan.FromDays(1))));
        var set = new SegmentSet(new Dictionary<string, Predicate> { ["renewing"] = renewsWithinADay });
        var customer = new Scenario { Traits = Given.Json("""{ "renewsAt": "2027-05-23T20:00:00+08:00" }""") }.Facts.Customer;

        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);

        Assert.Empty(now.Segments);
        Assert.Equal(Instant.FromUtc(2027, 5, 22, 12, 0), now.NextChange);
        Assert.Equal(["renewing"], SegmentEvaluation.Evaluate(set, customer, now.NextChange!.Value).Segments);
    }

    [Fact]
    public void Days_of_activity_change_when_an_event_leaves_the_window_not_at_midnight()
    {
        var set = Rules.Set(("twice", """{ "event": "community_viewed", "within": "P3D", "days": { "op": "gte", "value": 2 } }"""));
        var (first, second) = (Given.DaysAgo(2), Given.DaysAgo(1));
        var customer = new Scenario
        {
            TimeZone = "Asia/Shanghai", // Given.Now is 20:00 there: midnight comes 4 hours later
            History = [Given.Event("community_viewed", first), Given.Event("community_viewed", second)],
        }.Facts.Customer;

        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);
        Assert.Equal(["twice"], now.Segments);
        Assert.Equal(first + (3 * Day) + Duration.Epsilon, now.NextChange);
        Assert.Equal(["twice"], SegmentEvaluation.Evaluate(set, customer, Given.Now + Duration.FromHours(5)).Segments);
        Assert.Empty(SegmentEvaluation.Evaluate(set, customer, now.NextChange!.Value).Segments);
    }

    [Fact]
    public void A_segment_naming_a_segment_that_ages_changes_with_it()
    {
        var set = Rules.Set(
            ("active", """{ "lastSeen": { "op": "gte", "value": "-P7D" } }"""),
            ("quiet-vip", """{ "all": [ { "tag": "vip" }, { "not": { "segment": "active" } } ] }"""));
        var seen = Given.DaysAgo(2);
        var customer = new Scenario { Tags = ["vip"], LastSeen = seen }.Facts.Customer;

        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);
        Assert.Equal(["active"], now.Segments);
        Assert.Equal(seen + (7 * Day) + Duration.Epsilon, now.NextChange);
        Assert.Equal(["quiet-vip"], SegmentEvaluation.Evaluate(set, customer, now.NextChange!.Value).Segments);
    }

    [Fact]
    public void Orders_leaving_the_rfm_window_are_a_next_change_only_when_a_rule_reads_rfm()
    {
        var oldest = Given.DaysAgo(100);
        var customer = new Scenario
        {
            Rfm = RfmClass.ImportantValue,
            History = [Given.Event("order_completed", oldest, """{ "amount": 10 }"""), Given.Event("order_completed", Given.DaysAgo(10), """{ "amount": 10 }""")],
        }.Facts.Customer;

        var rfm = SegmentEvaluation.Evaluate(Rules.Set(("important", """{ "rfm": "important_value" }""")), customer, Given.Now);
        var noRfm = SegmentEvaluation.Evaluate(Rules.Set(("vip", """{ "tag": "vip" }""")), customer, Given.Now);

        Assert.Equal(["important"], rfm.Segments);
        Assert.Equal(oldest + (365 * Day) + Duration.Epsilon, rfm.NextChange);
        Assert.Null(noRfm.NextChange);
    }

    [Fact]
    public void An_event_counted_over_all_history_never_leaves_it()
    {
        var set = Rules.Set(("buyer", """{ "event": "order_completed" }"""));
        var customer = new Scenario { History = [Given.Event("order_completed", Given.DaysAgo(1000))] }.Facts.Customer;

        var now = SegmentEvaluation.Evaluate(set, customer, Given.Now);

        Assert.Equal(["buyer"], now.Segments);
        Assert.Null(now.NextChange);
    }
}
