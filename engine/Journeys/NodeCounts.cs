using System.Collections.Immutable;

namespace Waymark.Engine.Journeys;

/// <summary>
/// Per-node counts of a journey version: the change one step makes (<see cref="Of(StepResult)"/>), or the
/// totals the grain keeps by adding those changes up (<see cref="Plus"/>). Immutable; persisted as JSON.
/// </summary>
public sealed record NodeCounts(ImmutableDictionary<string, NodeCount> Nodes)
{
    /// <summary>No counts.</summary>
    public static NodeCounts Empty { get; } = new(ImmutableDictionary<string, NodeCount>.Empty);

    /// <summary>The counts of node <paramref name="node"/>; zero when it has none.</summary>
    public NodeCount this[string node] => Nodes.GetValueOrDefault(node) ?? NodeCount.Zero;

    /// <summary>The count changes <paramref name="result"/> implies.</summary>
    public static NodeCounts Of(StepResult result) => Of(result.Decisions);

    /// <summary>
    /// The count changes <paramref name="decisions"/> imply: a run entering arrives at its node, a move leaves
    /// one node and arrives at another, an exit ends the run at its node. The grain passes an exit it issues
    /// itself (<c>merged</c>) here too.
    /// </summary>
    public static NodeCounts Of(IEnumerable<Decision> decisions)
    {
        var counts = Empty;
        foreach (var decision in decisions)
        {
            counts = decision switch
            {
                RunEntered entered => counts.Add(entered.Node, NodeCount.Arrival),
                Moved moved => counts.Add(moved.From, NodeCount.Departure).Add(moved.To, NodeCount.Arrival),
                Exited exited => counts.Add(exited.Node, NodeCount.Exit(exited.Reason)),
                _ => counts,
            };
        }

        return counts;
    }

    /// <summary>Both sets of counts added up, node by node.</summary>
    public NodeCounts Plus(NodeCounts other) => other.Nodes.Aggregate(this, (sum, node) => sum.Add(node.Key, node.Value));

    public bool Equals(NodeCounts? other) =>
        other is not null
        && Nodes.Count == other.Nodes.Count
        && Nodes.All(n => other.Nodes.TryGetValue(n.Key, out var count) && count.Equals(n.Value));

    public override int GetHashCode() => Nodes.Count;

    private NodeCounts Add(string node, NodeCount change) => new(Nodes.SetItem(node, this[node].Plus(change)));
}
