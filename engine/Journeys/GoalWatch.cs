using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>
/// What the grain keeps of an ended run whose goal window is still open, to credit a later conversion
/// (<see cref="GoalCheck.Check"/>): drop it on conversion or once <paramref name="Until"/> has passed.
/// Persisted as JSON like <see cref="JourneyRun"/>.
/// </summary>
/// <param name="Node">Where the run ended.</param>
/// <param name="Until">The end of the goal window, inclusive.</param>
/// <param name="TriggerProperties">What <c>trigger.properties.…</c> paths of the goal's where read.</param>
/// <param name="EventProperties">What <c>event.properties.…</c> paths read: the run's last current event.</param>
public sealed record GoalWatch(
    string JourneyId,
    int Version,
    string EntryId,
    string Node,
    [property: JsonConverter(typeof(InstantJsonConverter))] Instant EnteredAt,
    [property: JsonConverter(typeof(InstantJsonConverter))] Instant Until,
    JsonObject TriggerProperties,
    JsonObject? EventProperties,
    string? Branch,
    string? Variant);
