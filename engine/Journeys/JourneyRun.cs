using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>
/// Where one run of a journey is, persisted by the customer grain as JSON (System.Text.Json, no options
/// needed: instants carry their converter). Immutable: <see cref="JourneyStep"/> returns a new one.
/// The JSON objects are never changed once in a run.
/// </summary>
/// <param name="JourneyId">The journey's id.</param>
/// <param name="Version">The published version the run entered, which it keeps to its end.</param>
/// <param name="EntryId">The run's id, from <see cref="JourneyEntry.EntryId"/>.</param>
/// <param name="Node">The node the run is at.</param>
/// <param name="EnteredAt">When the run entered; the goal window counts from here.</param>
/// <param name="NodeSince">When the run arrived at <paramref name="Node"/>; a wait's duration counts from here.</param>
/// <param name="TriggerProperties">The trigger event's properties; empty for api, segment and schedule triggers.</param>
/// <param name="CurrentEvent">The event the last waitEvent received, else the trigger event; null for triggers with no event.</param>
/// <param name="Due">When the step at <paramref name="Node"/> comes (or came) due; null when not waiting on time.</param>
/// <param name="Branch">The last split branch taken, credited with a conversion.</param>
/// <param name="Variant">The last message variant sent, credited with a conversion.</param>
/// <param name="Hold">Why the run is held at its node, if it is.</param>
/// <param name="GoalReached">Whether the goal was reached, which counts once per run.</param>
public sealed record JourneyRun(
    string JourneyId,
    int Version,
    string EntryId,
    string Node,
    [property: JsonConverter(typeof(InstantJsonConverter))] Instant EnteredAt,
    [property: JsonConverter(typeof(InstantJsonConverter))] Instant NodeSince,
    JsonObject TriggerProperties,
    CustomerEvent? CurrentEvent,
    [property: JsonConverter(typeof(InstantJsonConverter))] Instant? Due,
    string? Branch,
    string? Variant,
    RunHold Hold,
    bool GoalReached = false)
{
    /// <summary>
    /// How many messages the run has sent from each send node: a run that comes round to a send again (a loop
    /// through a wait) sends a new message with a new id, not a repeat of the first.
    /// </summary>
    public ImmutableDictionary<string, int> SendsByNode { get; init; } = ImmutableDictionary<string, int>.Empty;
}
