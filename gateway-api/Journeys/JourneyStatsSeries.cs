using System.Collections.Immutable;
using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Gateway.Journeys;

/// <summary>A journey's counts per time bucket (api.md §3: <c>stats?from=&amp;to=&amp;bucket=</c>).</summary>
public sealed record JourneyStatsSeries(IReadOnlyList<JourneyStatsSeries.Point> Series)
{
    public static JourneyStatsSeries From(ImmutableArray<JourneyStatsPoint> points) =>
        new([.. points.Select(p => new Point(p.At, p.Stats.Nodes, p.Stats.Messages, p.Stats.Goal))]);

    /// <summary>What happened in the bucket that starts at <paramref name="At"/>.</summary>
    public sealed record Point(
        DateTimeOffset At,
        ImmutableDictionary<string, NodeStats> Nodes,
        ImmutableDictionary<string, SendStats> Messages,
        GoalStats? Goal);
}
