namespace Waymark.Definitions.Journeys;

/// <summary>
/// What reading one node yielded for the graph checks, even when the node itself has problems: its id,
/// whether it waits, and its edges with their paths.
/// </summary>
/// <param name="EdgesComplete">False when an edge could not be read, so reachability cannot be judged.</param>
/// <param name="Node">The node, when it had no problems of its own.</param>
internal sealed record NodeReading(
    string Path,
    string? Id,
    bool Waits,
    IReadOnlyList<EdgeAt> Edges,
    bool EdgesComplete,
    JourneyNode? Node);

/// <summary>An edge and the JSON path of the field that names its target.</summary>
internal sealed record EdgeAt(Edge Edge, string Path);
