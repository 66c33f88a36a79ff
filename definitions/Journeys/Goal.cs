using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Journeys;

/// <summary>The conversion a journey aims at: the event (matching <see cref="Where"/>) within <see cref="Within"/> of entry.</summary>
public sealed record Goal(string Event, Predicate? Where, TimeSpan Within);
