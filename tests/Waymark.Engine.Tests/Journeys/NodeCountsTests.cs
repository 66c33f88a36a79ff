using Waymark.Engine.Journeys;

namespace Waymark.Engine.Tests.Journeys;

public sealed class NodeCountsTests
{
    [Fact]
    public void Entering_moving_and_exiting_count_at_the_nodes_they_touch()
    {
        var counts = NodeCounts.Of(
        [
            new RunEntered("a"),
            new Waiting("a", null, null),
            new Moved("a", "b", MoveReasons.Next),
            new SendMessage("b", "id", Definitions.Templates.Channel.Sms, Definitions.Journeys.MessageCategory.Marketing, null, Canvas.StoredTemplates["welcome-email"], null),
            new Moved("b", "c", MoveReasons.Next),
            new Exited("c", ExitReasons.ExitNode),
        ]);

        Assert.Equal(new NodeCount(1, 1, NodeCount.Zero.Exited), counts["a"]);
        Assert.Equal(new NodeCount(1, 1, NodeCount.Zero.Exited), counts["b"]);
        Assert.Equal(NodeCount.Exit(ExitReasons.ExitNode) with { Entered = 1 }, counts["c"]);
        Assert.Equal(NodeCount.Zero, counts["elsewhere"]);
        Assert.All(["a", "b", "c"], node => Assert.Equal(0, counts[node].Current));
    }

    [Fact]
    public void Counts_add_up_node_by_node_and_reason_by_reason()
    {
        var first = NodeCounts.Of([new RunEntered("a"), new Exited("a", ExitReasons.ExitCriterion)]);
        var second = NodeCounts.Of([new RunEntered("a"), new RunEntered("a"), new Exited("a", ExitReasons.ExitCriterion), new Exited("a", ExitReasons.Merged)]);

        var total = first.Plus(second).Plus(NodeCounts.Empty);

        Assert.Equal(3, total["a"].Entered);
        Assert.Equal(2, total["a"].Exited[ExitReasons.ExitCriterion]);
        Assert.Equal(1, total["a"].Exited[ExitReasons.Merged]);
        Assert.Equal(0, total["a"].Current);
        Assert.Equal(total, second.Plus(first));
        Assert.NotEqual(total, first);
    }
}
