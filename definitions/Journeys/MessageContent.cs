using Waymark.Definitions.Templates;

namespace Waymark.Definitions.Journeys;

/// <summary>What a send node sends: one inline template, one stored template, or weighted variants.</summary>
public abstract record MessageContent;

/// <summary>A template written in the node itself.</summary>
public sealed record InlineContent(MessageTemplate Template) : MessageContent;

/// <summary>A template stored in the workspace's library, snapshotted when the journey is published.</summary>
public sealed record StoredContent(string TemplateId) : MessageContent;

/// <summary>Variants chosen by weight; with an <see cref="Experiment"/>, the best variant wins after a test period.</summary>
public sealed record VariantContent(IReadOnlyList<MessageVariant> Variants, Experiment? Experiment) : MessageContent;

/// <summary>One variant of a message: its name, its weight out of 100 and its template.</summary>
public sealed record MessageVariant(string Name, int Weight, MessageTemplate Template);

/// <summary>
/// A race between variants: for <see cref="Duration"/> from the first arrival, <see cref="TestPercent"/> of
/// arrivals get a variant by weight; then the best by <see cref="Metric"/> goes to everyone else.
/// </summary>
public sealed record Experiment(ExperimentMetric Metric, int TestPercent, TimeSpan Duration);

/// <summary>The rate an experiment picks its winner by.</summary>
public enum ExperimentMetric
{
    Click,
    Open,
    Goal,
}

/// <summary>
/// Marketing messages obey subscriptions, the frequency cap and quiet hours; transactional ones ignore them.
/// </summary>
public enum MessageCategory
{
    Marketing,
    Transactional,
}
