using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>Collects a node's edges as its fields are read, remembering whether any could not be read.</summary>
internal sealed class EdgeList
{
    private readonly List<EdgeAt> _edges = [];

    public IReadOnlyList<EdgeAt> Edges => _edges;

    public bool Complete { get; private set; } = true;

    /// <summary>Reads the required edge field <paramref name="field"/> (such as <c>next</c>), labelled with its name.</summary>
    public string? Read(ObjectReader node, string field) => Read(node, field, field);

    /// <summary>Reads the required edge field <paramref name="field"/> with the edge's <paramref name="label"/>.</summary>
    public string? Read(ObjectReader node, string field, string label)
    {
        var target = node.Text(field, required: true);
        if (target is null)
        {
            Complete = false;
        }
        else
        {
            _edges.Add(new EdgeAt(new Edge(label, target), node.PathOf(field)));
        }

        return target;
    }

    /// <summary>Notes that some of the node's edges are unknown (its type or a branch could not be read).</summary>
    public void MarkIncomplete() => Complete = false;
}
