using System.Text.Json.Serialization;
using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>The customer's past with one journey, which reentry and cooldown are decided against.</summary>
/// <param name="ActiveRuns">Runs of the journey (any version) the customer is in now.</param>
/// <param name="LastEntryAt">When the customer last entered it; null when never.</param>
/// <param name="EverEntered">Whether the customer ever entered it.</param>
public sealed record EntryHistory(int ActiveRuns, [property: JsonConverter(typeof(InstantJsonConverter))] Instant? LastEntryAt, bool EverEntered)
{
    /// <summary>A customer who never entered the journey.</summary>
    public static EntryHistory None { get; } = new(0, null, false);
}
