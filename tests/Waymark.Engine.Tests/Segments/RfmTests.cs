using CsCheck;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;
using Waymark.Engine.Segments;
using Waymark.Engine.Tests.Predicates;

namespace Waymark.Engine.Tests.Segments;

/// <summary>RFM scores, classes against workspace means, and the contributions the runtime sums into those means.</summary>
public class RfmTests
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    private static EventHistory Orders(params (double DaysAgo, string Amount)[] orders) =>
        new(orders.Select(o => Given.Event("order_completed", Given.DaysAgo(o.DaysAgo), $$"""{ "amount": {{o.Amount}} }""")));

    [Fact]
    public void A_few_customers_are_classed_against_hand_computed_means()
    {
        var a = RfmScore.Of(Orders((10, "100"), (40, "200"), (70, "300")), Given.Now, Year);
        var b = RfmScore.Of(Orders((200, "50")), Given.Now, Year);
        var c = RfmScore.Of(Orders((5, "20"), (6, "20")), Given.Now, Year);
        var d = RfmScore.Of(Orders((400, "5000")), Given.Now, Year);
        var e = RfmScore.Of(Orders((30, "\"lots\""), (100, "1000")), Given.Now, Year);
        Assert.Equal((10d, 3, 600m), (a!.RecencyDays, a.Frequency, a.Monetary));
        Assert.Equal((30d, 2, 1000m), (e!.RecencyDays, e.Frequency, e.Monetary)); // the text amount is no amount
        Assert.Null(d);

        // Four customers with orders: recency (10 + 200 + 5 + 30) / 4, frequency (3 + 1 + 2 + 2) / 4, monetary (600 + 50 + 40 + 1000) / 4.
        var sums = new[] { a, b, c, d, e }.Aggregate(RfmContribution.Zero, (total, score) => total.Add(RfmContribution.Of(score)));
        var means = RfmMeans.From(sums, Given.Now);
        Assert.Equal(new RfmMeans(61.25, 2, 422.5m), means);

        Assert.Equal(RfmClass.ImportantValue, Rfm.Classify(a, means));   // recent, frequent, valuable
        Assert.Equal(RfmClass.GeneralRetain, Rfm.Classify(b, means));    // none
        Assert.Equal(RfmClass.GeneralDevelop, Rfm.Classify(c, means));   // recent; 2 orders is level with the mean, so low
        Assert.Equal(RfmClass.ImportantDevelop, Rfm.Classify(e, means)); // recent and valuable
        Assert.Null(Rfm.Classify(d, means));
    }

    [Theory]
    [InlineData(10, 3, "150", RfmClass.ImportantValue)]
    [InlineData(10, 1, "150", RfmClass.ImportantDevelop)]
    [InlineData(90, 3, "150", RfmClass.ImportantKeep)]
    [InlineData(90, 1, "150", RfmClass.ImportantRetain)]
    [InlineData(10, 3, "50", RfmClass.GeneralValue)]
    [InlineData(10, 1, "50", RfmClass.GeneralDevelop)]
    [InlineData(90, 3, "50", RfmClass.GeneralKeep)]
    [InlineData(90, 1, "50", RfmClass.GeneralRetain)]
    [InlineData(50, 2, "100", RfmClass.GeneralRetain)]    // level with every mean: low on each
    [InlineData(50, 2, "100.004", RfmClass.GeneralRetain)] // a fraction of a cent above the mean is level
    [InlineData(50, 2, "100.005", RfmClass.ImportantRetain)]
    public void Each_dimension_is_high_only_when_strictly_better_than_the_mean(double recencyDays, int frequency, string monetary, RfmClass expected)
    {
        var means = new RfmMeans(RecencyDays: 50, Frequency: 2, Monetary: 100);
        var score = new RfmScore(Given.DaysAgo(recencyDays), recencyDays, frequency, decimal.Parse(monetary, System.Globalization.CultureInfo.InvariantCulture), Given.Now);

        Assert.Equal(expected, Rfm.Classify(score, means));
    }

    [Fact]
    public void A_customer_with_no_order_in_the_window_is_in_no_class_and_adds_nothing()
    {
        var history = new EventHistory([
            Given.Event("order_completed", Given.DaysAgo(365.001), """{ "amount": 99 }"""),
            Given.Event("page_viewed", Given.DaysAgo(1)),
        ]);
        var means = new RfmMeans(50, 2, 100);

        var score = RfmScore.Of(history, Given.Now, Year);

        Assert.Null(score);
        Assert.Null(Rfm.Classify(score, means));
        Assert.Equal(RfmContribution.Zero, RfmContribution.Of(score));
    }

    [Fact]
    public void A_workspace_where_nobody_ordered_has_no_means_and_no_classes()
    {
        var score = RfmScore.Of(Orders((1, "10")), Given.Now, Year);

        Assert.Null(RfmMeans.From(RfmContribution.Zero, Given.Now));
        Assert.Null(Rfm.Classify(score, null));
    }

    [Fact]
    public void The_score_expires_when_its_oldest_order_leaves_the_window()
    {
        var oldest = Given.DaysAgo(365); // exactly one window ago: still in
        var history = Orders((365, "10"), (20, "5"));

        var score = RfmScore.Of(history, Given.Now, Year)!;
        Assert.Equal((2, 15m), (score.Frequency, score.Monetary));
        Assert.Equal(oldest + Duration.FromDays(365) + Duration.Epsilon, score.Expires);

        Assert.Equal(2, RfmScore.Of(history, score.Expires - Duration.Epsilon, Year)!.Frequency);
        var expired = RfmScore.Of(history, score.Expires, Year)!;
        Assert.Equal((1, 5m), (expired.Frequency, expired.Monetary));
    }

    [Fact]
    public void Being_more_recent_than_the_mean_does_not_drift_as_time_passes()
    {
        var history = new[] { Orders((10, "1")), Orders((30, "1")), Orders((21, "1")) };
        RfmClass?[] ClassesAt(Instant now)
        {
            var scores = history.Select(h => RfmScore.Of(h, now, TimeSpan.FromDays(3650))).ToList();
            var means = RfmMeans.From(scores.Aggregate(RfmContribution.Zero, (total, s) => total.Add(RfmContribution.Of(s))), now);
            return [.. scores.Select(s => Rfm.Classify(s, means))];
        }

        var today = ClassesAt(Given.Now);

        Assert.Equal([RfmClass.GeneralDevelop, RfmClass.GeneralRetain, RfmClass.GeneralRetain], today); // mean last order: 20⅓ days ago
        Assert.Equal(today, ClassesAt(Given.Now + Duration.FromDays(1000)));
    }

    [Fact]
    public void Contribution_deltas_sum_to_the_brute_force_sums_as_customers_change()
    {
        var window = TimeSpan.FromDays(30); // short, so contributions come and go as the clock moves
        var steps = Gen.Long[0, 120 * 86_400L].Array[1, 5].Select(secondsAgo => secondsAgo.Order().Reverse().Select(s => Given.Now - Duration.FromSeconds(s)).Append(Given.Now).ToArray());
        Gen.Select(Population.Person.Array[1, 60], steps).Sample((people, nows) =>
        {
            var histories = people.Select(p => p.Facts(null).History).ToArray();
            var held = new RfmContribution[people.Length];
            var sums = RfmContribution.Zero;
            foreach (var now in nows)
            {
                for (var i = 0; i < people.Length; i++)
                {
                    var current = RfmContribution.Of(RfmScore.Of(histories[i], now, window));
                    sums = sums.Add(RfmContribution.Delta(held[i], current));
                    held[i] = current;
                }

                var orders = people.Select(p => BruteForce.Within(p, "order_completed", now, 30).ToList()).Where(o => o.Count > 0).ToList();
                var expected = new RfmContribution(
                    orders.Sum(o => o.Max(x => x.At.ToUnixTimeSeconds())),
                    orders.Sum(o => (long)o.Count),
                    orders.Sum(o => o.Where(x => x is { Amount: not null, AmountAsText: false }).Sum(x => (long)(x.Amount!.Value * 100))),
                    orders.Count);
                Assert.Equal(expected, sums);
            }
        }, iter: 300);
    }

    [Fact]
    public void Deltas_wrap_but_the_sums_stay_exact_when_the_true_totals_fit()
    {
        var huge = RfmContribution.Of(RfmScore.Of(Orders((1, "1e20")), Given.Now, Year));
        var owed = RfmContribution.Of(RfmScore.Of(Orders((1, "-1e20")), Given.Now, Year));
        Assert.Equal((long.MaxValue, long.MinValue), (huge.MonetaryMinor, owed.MonetaryMinor));

        var sums = RfmContribution.Zero.Add(RfmContribution.Delta(RfmContribution.Zero, huge)).Add(RfmContribution.Delta(RfmContribution.Zero, owed));
        Assert.Equal(-1, sums.MonetaryMinor);

        // The owing customer's orders leave: the delta (−long.MinValue) overflows, the sums land on the true total.
        sums = sums.Add(RfmContribution.Delta(owed, RfmContribution.Zero));
        Assert.Equal(long.MaxValue, sums.MonetaryMinor);
    }

    [Fact]
    public void Amounts_add_exactly_and_round_to_minor_units_half_away_from_zero()
    {
        var score = RfmScore.Of(Orders((1, "0.1"), (2, "0.2"), (3, "0.005")), Given.Now, Year)!;

        Assert.Equal(0.305m, score.Monetary);
        Assert.Equal(31, RfmContribution.Of(score).MonetaryMinor);
    }
}
