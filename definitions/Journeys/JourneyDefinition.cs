using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Journeys;

/// <summary>
/// A validated journey canvas (canvas.md): who enters, what ends a run, what counts as conversion, and
/// the graph of nodes a run walks from <see cref="Start"/>. Built by <see cref="JourneyReader"/>.
/// </summary>
public sealed class JourneyDefinition
{
    private readonly Dictionary<string, JourneyNode> _nodesById;

    /// <summary>Creates a definition; node ids must be unique, and <paramref name="start"/> and every edge must name a node.</summary>
    public JourneyDefinition(
        string name,
        string? description,
        Trigger trigger,
        EntryRules entry,
        IReadOnlyList<ExitCriterion> exitWhen,
        Goal? goal,
        string start,
        IReadOnlyList<JourneyNode> nodes)
    {
        _nodesById = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var dangling = nodes.SelectMany(n => n.Edges).Select(e => e.Target).Append(start).FirstOrDefault(id => !_nodesById.ContainsKey(id));
        if (dangling is not null)
        {
            throw new ArgumentException($"No node has the id '{dangling}'.", nameof(nodes));
        }

        Name = name;
        Description = description;
        Trigger = trigger;
        Entry = entry;
        ExitWhen = [.. exitWhen];
        Goal = goal;
        Start = start;
        Nodes = [.. nodes];
        ReferencedSegments = FindSegments();
        ReferencedTemplates = nodes
            .OfType<SendNode>()
            .Select(n => n.Content)
            .OfType<StoredContent>()
            .Select(c => c.TemplateId)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The name designers and reports show, at most <see cref="JourneyReader.MaxNameLength"/> characters.</summary>
    public string Name { get; }

    /// <summary>Free text for designers; null when the canvas has none.</summary>
    public string? Description { get; }

    /// <summary>What enters a customer.</summary>
    public Trigger Trigger { get; }

    /// <summary>Who may enter and how often; <see cref="EntryRules.Default"/> when the canvas has no <c>entry</c>.</summary>
    public EntryRules Entry { get; }

    /// <summary>What ends a run wherever it is, checked before the run's <c>waitEvent</c>.</summary>
    public IReadOnlyList<ExitCriterion> ExitWhen { get; }

    /// <summary>The conversion that stats measure, if any.</summary>
    public Goal? Goal { get; }

    /// <summary>The id of the node every run begins at.</summary>
    public string Start { get; }

    /// <summary>The nodes in canvas order.</summary>
    public IReadOnlyList<JourneyNode> Nodes { get; }

    /// <summary>Every segment the journey names: its trigger, exit criteria and the predicates of every part.</summary>
    public IReadOnlySet<string> ReferencedSegments { get; }

    /// <summary>The stored templates its send nodes name, snapshotted when the journey is published.</summary>
    public IReadOnlySet<string> ReferencedTemplates { get; }

    /// <summary>The node with <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    public JourneyNode Node(string id) => _nodesById[id];

    /// <summary>The node with <paramref name="id"/>, when there is one.</summary>
    public bool TryGetNode(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JourneyNode? node) =>
        _nodesById.TryGetValue(id, out node);

    private HashSet<string> FindSegments()
    {
        var segments = new HashSet<string>(StringComparer.Ordinal);
        switch (Trigger)
        {
            case SegmentTrigger s:
                segments.Add(s.Segment);
                break;
            case ScheduleTrigger s:
                segments.Add(s.Segment);
                break;
        }

        foreach (var criterion in ExitWhen)
        {
            if (criterion is ExitOnSegmentExit exit)
            {
                segments.Add(exit.Segment);
            }
        }

        foreach (var predicate in Predicates())
        {
            segments.UnionWith(predicate.ReferencedSegments());
        }

        return segments;
    }

    /// <summary>Every predicate at the top of some part: the trigger's and goal's where, exit criteria, waitEvents and conditions.</summary>
    public IEnumerable<Predicate> Predicates()
    {
        var all = new List<Predicate?>
        {
            (Trigger as EventTrigger)?.Where,
            Goal?.Where,
        };
        all.AddRange(ExitWhen.OfType<ExitOnEvent>().Select(e => e.Where));
        all.AddRange(Nodes.Select(n => n switch
        {
            WaitEventNode w => w.Where,
            ConditionNode c => c.If,
            _ => null,
        }));
        return all.OfType<Predicate>();
    }
}
