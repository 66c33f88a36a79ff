using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>
/// The checks over the whole node graph: unique ids, edges that name nodes, every node reachable from
/// the start, and no cycle a run could go round without waiting.
/// </summary>
internal static class JourneyGraph
{
    public static void Check(IReadOnlyList<NodeReading> nodes, string? start, string startPath, Problems problems)
    {
        var byId = IndexIds(nodes, problems);

        // The nodes the graph is made of, in canvas order: the first of each id.
        var distinct = nodes.Where(n => n.Id is not null && ReferenceEquals(byId[n.Id], n)).ToList();
        if (start is not null && !byId.ContainsKey(start))
        {
            problems.Add(startPath, NoSuchNode(start));
        }

        foreach (var edge in nodes.SelectMany(n => n.Edges).Where(e => !byId.ContainsKey(e.Edge.Target)))
        {
            problems.Add(edge.Path, NoSuchNode(edge.Edge.Target));
        }

        // With an edge unknown, a node may look unreachable only because the edge to it could not be read.
        if (start is not null && byId.ContainsKey(start) && nodes.All(n => n.EdgesComplete))
        {
            ReportUnreachable(distinct, byId, start, problems);
        }

        ReportCyclesWithoutWait(distinct, byId, start, problems);
    }

    private static string NoSuchNode(string id) => $"there is no node with the id '{id}'";

    /// <summary>Each id's node (the first, when an id is repeated), in canvas order.</summary>
    private static Dictionary<string, NodeReading> IndexIds(IReadOnlyList<NodeReading> nodes, Problems problems)
    {
        var byId = new Dictionary<string, NodeReading>(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => n.Id is not null))
        {
            if (!byId.TryAdd(node.Id!, node))
            {
                problems.Add(JsonPath.Property(node.Path, "id"), $"'{node.Id}' is already the id of {byId[node.Id!].Path}");
            }
        }

        return byId;
    }

    private static void ReportUnreachable(List<NodeReading> distinct, Dictionary<string, NodeReading> byId, string start, Problems problems)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var edge in byId[id].Edges)
            {
                if (byId.ContainsKey(edge.Edge.Target) && reached.Add(edge.Edge.Target))
                {
                    queue.Enqueue(edge.Edge.Target);
                }
            }
        }

        foreach (var node in distinct.Where(n => !reached.Contains(n.Id!)))
        {
            problems.Add(node.Path, $"'{node.Id}' cannot be reached from the start node '{start}'");
        }
    }

    /// <summary>
    /// A depth-first search over the nodes that do not wait: an edge back to a node on the current path
    /// closes a cycle with no wait in it, reported once, at that edge. Iterative, so a long chain of
    /// nodes cannot overflow the stack.
    /// </summary>
    private static void ReportCyclesWithoutWait(List<NodeReading> distinct, Dictionary<string, NodeReading> byId, string? start, Problems problems)
    {
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<(string Id, int NextEdge)>();
        var ids = distinct.Select(n => n.Id!);
        var roots = start is not null && byId.ContainsKey(start) ? ids.Prepend(start) : ids;
        foreach (var root in roots.Where(id => !byId[id].Waits && !done.Contains(id)))
        {
            path.Add((root, 0));
            onPath.Add(root);
            while (path.Count > 0)
            {
                var (id, nextEdge) = path[^1];
                var edges = byId[id].Edges;
                if (nextEdge == edges.Count)
                {
                    path.RemoveAt(path.Count - 1);
                    onPath.Remove(id);
                    done.Add(id);
                    continue;
                }

                path[^1] = (id, nextEdge + 1);
                var edge = edges[nextEdge];
                var target = edge.Edge.Target;
                if (!byId.TryGetValue(target, out var targetNode) || targetNode.Waits || done.Contains(target))
                {
                    continue;
                }

                if (onPath.Contains(target))
                {
                    // Two edges of one node to the same target (then and else) close the same cycle: report it once.
                    if (edges.Take(nextEdge).Any(e => e.Edge.Target == target))
                    {
                        continue;
                    }

                    var cycle = path.Skip(path.FindIndex(p => p.Id == target)).Select(p => p.Id).Append(target);
                    problems.Add(edge.Path, $"closes a cycle with no wait or waitEvent, which a run would go round forever: {string.Join(" → ", cycle)}");
                }
                else
                {
                    path.Add((target, 0));
                    onPath.Add(target);
                }
            }
        }
    }
}
