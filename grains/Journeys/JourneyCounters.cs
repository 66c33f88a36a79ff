using System.Collections.Immutable;
using Waymark.Engine.Journeys;

namespace Waymark.Grains.Journeys;

/// <summary>
/// The counters a journey version's stats are kept in (<c>waymark_counts</c>): <c>node/{node}/entered</c>,
/// <c>node/{node}/movedOn</c> and <c>node/{node}/exited/{reason}</c>. Node ids never hold a '/', so a name reads
/// back unambiguously.
/// </summary>
public static class JourneyCounters
{
    private const string NodePrefix = "node/";
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
