using System.Collections.Immutable;
using Waymark.Engine.Journeys;

namespace Waymark.Grains.Journeys;

/// <summary>
/// The counters a journey version's stats are kept in (<c>waymark_counts</c>): <c>node/{node}/entered</c>,
/// <c>node/{node}/movedOn</c> and <c>node/{node}/exited/{reason}</c>; per send node and variant
/// <c>message/{node}/{variant}/{outcome}</c> (variant <c>-</c> when none was chosen) with outcomes
/// <see cref="Sent"/>, <see cref="Failed"/>, … and <c>suppressed/{reason}</c>. Node, branch and variant names never
/// hold a '/', so a name reads back unambiguously.
/// </summary>
public static class JourneyCounters
{
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Delivered = "delivered";
    public const string Opened = "opened";
    public const string Clicked = "clicked";
    public const string Unsubscribed = "unsubscribed";

    private const string NodePrefix = "node/";
    private const string MessagePrefix = "message/";
    private const string NoVariant = "-";
    private const string Entered = "entered";
    private const string MovedOn = "movedOn";
    private const string Exited = "exited/";

    /// <summary>The counters <paramref name="counts"/> changes, and by how much; zero changes left out.</summary>
    public static IEnumerable<(string Name, long Delta)> Of(NodeCounts counts)
    {
        foreach (var (node, count) in counts.Nodes)
        {
            if (count.Entered != 0)
            {
                yield return ($"{NodePrefix}{node}/{Entered}", count.Entered);
            }

            if (count.MovedOn != 0)
            {
                yield return ($"{NodePrefix}{node}/{MovedOn}", count.MovedOn);
            }

            foreach (var (reason, exited) in count.Exited.Where(e => e.Value != 0))
            {
                yield return ($"{NodePrefix}{node}/{Exited}{reason}", exited);
            }
        }
    }

    /// <summary>The counter of one <paramref name="outcome"/> (<see cref="Sent"/>, …) of a send node's messages of <paramref name="variant"/>.</summary>
    public static string Message(string node, string? variant, string outcome) => $"{MessagePrefix}{node}/{variant ?? NoVariant}/{outcome}";

    /// <summary>The counter of a send node's messages suppressed by a sending rule for <paramref name="reason"/>.</summary>
    public static string Suppressed(string node, string? variant, string reason) => Message(node, variant, "suppressed/" + reason);

    /// <summary>The node counts that counter totals add up to; other counters are skipped.</summary>
    public static NodeCounts Nodes(IEnumerable<(string Name, long Value)> totals)
    {
        var nodes = ImmutableDictionary.CreateBuilder<string, NodeCount>(StringComparer.Ordinal);
        foreach (var (name, value) in totals)
        {
            var slash = name.StartsWith(NodePrefix, StringComparison.Ordinal) ? name.IndexOf('/', NodePrefix.Length) : -1;
            if (slash < 0)
            {
                continue;
            }

            var node = name[NodePrefix.Length..slash];
            var field = name[(slash + 1)..];
            var count = field switch
            {
                Entered => NodeCount.Zero with { Entered = value },
                MovedOn => NodeCount.Zero with { MovedOn = value },
                _ when field.StartsWith(Exited, StringComparison.Ordinal) => NodeCount.Zero with
                {
                    Exited = NodeCount.Zero.Exited.Add(field[Exited.Length..], value),
                },
                _ => null,
            };
            if (count is not null)
            {
                nodes[node] = nodes.TryGetValue(node, out var sum) ? sum.Plus(count) : count;
            }
        }

        return new NodeCounts(nodes.ToImmutable());
    }
}
