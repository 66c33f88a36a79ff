using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>Splits, on the spec example coupon-ab-with-control.json (control 34, pct20 33, 300-30 33).</summary>
public sealed class SplitTests
{
    private const int Customers = 10_000;

    private static readonly JourneyDefinition CouponTest = Canvas.Example("coupon-ab-with-control.json");

    private static readonly SegmentCrossed EnteredDiamond = new("diamond-vip", SegmentTransition.Enter);

    private static string BranchOf(string customerKey, string journeyId = "coupon-test", string triggerId = "m-1")
    {
        var customer = new RunDriver(CouponTest, customerKey, journeyId);
        customer.Enter(EnteredDiamond, triggerId);
        return customer.Timeline.OfType<Moved>().First().Reason;
    }

    [Fact]
    public void Ten_thousand_customers_split_within_two_points_of_the_weights()
    {
        var shares = Enumerable.Range(0, Customers)
            .GroupBy(i => BranchOf($"u-{i}"))
            .ToDictionary(g => g.Key, g => g.Count() * 100.0 / Customers);

        Assert.Equal(["branch:300-30", "branch:control", "branch:pct20"], shares.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(shares["branch:control"], 32, 36);
        Assert.InRange(shares["branch:pct20"], 31, 35);
        Assert.InRange(shares["branch:300-30"], 31, 35);
    }

    [Fact]
    public void A_customer_takes_the_same_branch_on_every_entry_and_in_every_process()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(BranchOf($"u-{i}", triggerId: "first"), BranchOf($"u-{i}", triggerId: "second"));
        }

        // Pinned: a hash that changed between releases would move running customers between branches.
        Assert.Equal(["branch:300-30", "branch:pct20", "branch:300-30", "branch:300-30", "branch:control"], Enumerable.Range(0, 5).Select(i => BranchOf($"u-{i}")));
    }

    [Fact]
    public void Two_journeys_split_the_same_customers_independently()
    {
        var controlOfFirst = Enumerable.Range(0, Customers).Where(i => BranchOf($"u-{i}", "coupon-test") == "branch:control").ToList();
        var inBoth = controlOfFirst.Count(i => BranchOf($"u-{i}", "another-test") == "branch:control");

        // About 34% of the first journey's control group is in the second's control too, not all of it.
        Assert.InRange(inBoth * 100.0 / controlOfFirst.Count, 30, 38);
    }

    [Fact]
    public void The_control_group_gets_no_message_and_the_branch_is_remembered_for_goal_credit()
    {
        var control = Enumerable.Range(0, 100).Select(i => $"u-{i}").First(key => BranchOf(key) == "branch:control");
        var customer = new RunDriver(CouponTest, control, "coupon-test");

        Assert.Equal(["entered split", "moved split → done (branch:control)", "exited done (exit_node)"], Tell(customer.Enter(EnteredDiamond)));
        Assert.Equal("control", customer.Watch?.Branch);
    }

    [Fact]
    public void A_treated_customer_gets_the_branchs_email()
    {
        var treated = Enumerable.Range(0, 100).Select(i => $"u-{i}").First(key => BranchOf(key) == "branch:pct20");
        var customer = new RunDriver(CouponTest, treated, "coupon-test");

        Assert.Equal(
            ["entered split", "moved split → send-pct (branch:pct20)", "send send-pct (email, marketing)", "moved send-pct → done (next)", "exited done (exit_node)"],
            Tell(customer.Enter(EnteredDiamond)));
        Assert.Equal("pct20", customer.Watch?.Branch);
    }

    [Fact]
    public void A_branch_of_weight_zero_is_never_taken()
    {
        var journey = Canvas.Of("split", """
            [ { "id": "split", "type": "split", "branches": [
                { "name": "never", "weight": 0, "next": "a" }, { "name": "always", "weight": 100, "next": "a" } ] },
              { "id": "a", "type": "exit" } ]
            """);

        for (var i = 0; i < 500; i++)
        {
            var customer = new RunDriver(journey, $"u-{i}");
            Assert.Contains("moved split → a (branch:always)", Tell(customer.EnterOn("go")));
        }
    }

    [Fact]
    public void Two_splits_in_one_journey_split_independently()
    {
        var journey = Canvas.Of("first", """
            [ { "id": "first", "type": "split", "branches": [ { "name": "a", "weight": 50, "next": "second" }, { "name": "b", "weight": 50, "next": "second" } ] },
              { "id": "second", "type": "split", "branches": [ { "name": "a", "weight": 50, "next": "done" }, { "name": "b", "weight": 50, "next": "done" } ] },
              { "id": "done", "type": "exit" } ]
            """);

        var same = Enumerable.Range(0, 2_000).Count(i =>
        {
            var customer = new RunDriver(journey, $"u-{i}");
            customer.EnterOn("go");
            var branches = customer.Timeline.OfType<Moved>().Take(2).Select(m => m.Reason).ToList();
            return branches[0] == branches[1];
        });

        // Independent halves agree about half the time; one hash for both would make them always agree.
        Assert.InRange(same, 900, 1_100);
    }

    [Fact]
    public void Weights_that_slipped_past_validation_without_adding_up_to_100_throw_rather_than_pick_a_branch()
    {
        var journey = new JourneyDefinition(
            "bad", null, new EventTrigger("go", null), EntryRules.Default, [], null, "split",
            [new SplitNode("split", [new SplitBranch("a", 0, "done"), new SplitBranch("b", 0, "done")]), new ExitNode("done")]);

        Assert.Throws<InvalidOperationException>(() => new RunDriver(journey).EnterOn("go"));
    }
}
