using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Journeys;

/// <summary>
/// A published version as the runtime uses it: the parsed canvas, its stored templates by id, and the event
/// history its predicates read (event name → longest window, null for all history).
/// </summary>
public sealed record PublishedJourney(
    string JourneyId,
    int Version,
    JourneyDefinition Definition,
    IReadOnlyDictionary<string, MessageTemplate> Templates,
    IReadOnlyDictionary<string, TimeSpan?> History)
{
    /// <summary>The send nodes that run an experiment.</summary>
    public IReadOnlyList<string> Experiments { get; } =
        [.. Definition.Nodes.OfType<SendNode>().Where(n => n.Content is VariantContent { Experiment: not null }).Select(n => n.Id)];
}
