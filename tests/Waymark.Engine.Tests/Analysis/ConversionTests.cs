using Waymark.Engine.Analysis;

namespace Waymark.Engine.Tests.Analysis;

public sealed class ConversionTests
{
    [Fact]
    public void Lift_and_its_interval_match_a_hand_computed_case()
    {
        // p = 3/5 = 0.6, p_c = 1/5 = 0.2: lift (0.6 - 0.2) / 0.2 = 2;
        // SE = sqrt(0.6 * 0.4 / 5 + 0.2 * 0.8 / 5) = sqrt(0.08) = 0.28284; 0.4 ± 1.95996 * 0.28284 = [-0.15436, 0.95436]; / 0.2.
        var lift = Lift.Of(new Conversion(5, 3), new Conversion(5, 1))!;

        Assert.Equal(2.0, lift.Value, 10);
        Assert.Equal(-0.77181, lift.Low, 4);
        Assert.Equal(4.77181, lift.High, 4);
    }

    [Fact]
    public void Larger_groups_narrow_the_interval_around_the_same_lift()
    {
        var small = Lift.Of(new Conversion(100, 30), new Conversion(100, 20))!;
        var large = Lift.Of(new Conversion(10_000, 3_000), new Conversion(10_000, 2_000))!;

        Assert.Equal(small.Value, large.Value, 10);
        Assert.True(large.High - large.Low < (small.High - small.Low) / 5);
        Assert.True(large.Low > 0);
    }

    [Fact]
    public void There_is_no_lift_over_an_empty_or_never_converting_control_or_for_an_empty_group()
    {
        Assert.Null(Lift.Of(new Conversion(10, 3), new Conversion(0, 0)));
        Assert.Null(Lift.Of(new Conversion(10, 3), new Conversion(10, 0)));
        Assert.Null(Lift.Of(new Conversion(0, 0), new Conversion(10, 3)));
        Assert.Equal(0, new Conversion(0, 0).Rate);
    }

    [Fact]
    public void The_best_rate_wins_and_ties_and_no_data_go_to_the_first_variant_listed()
    {
        var results = new Dictionary<string, Conversion>
        {
            ["urgency"] = new(100, 5), ["social"] = new(100, 9), ["discount"] = new(50, 6), ["plain"] = new(0, 0),
        };

        Assert.Equal("discount", ExperimentWinner.Pick(["urgency", "social", "discount", "plain"], v => results[v]));
        Assert.Equal("social", ExperimentWinner.Pick(["social", "urgency"], v => v == "urgency" ? new(10, 1) : new(20, 2)));
        Assert.Equal("plain", ExperimentWinner.Pick(["plain", "urgency"], _ => new(0, 0)));
    }
}
