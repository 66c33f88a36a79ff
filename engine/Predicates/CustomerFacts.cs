using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Predicates;

/// <summary>
/// What predicates read of the customer. <paramref name="TimeZone"/> is already resolved (the
/// <c>timezone</c> trait, else the workspace's); <paramref name="Rfm"/> is computed elsewhere (null: in no
/// class); <paramref name="LastSeen"/> is the time of the latest event (null: none). The caller must not
/// change <paramref name="Traits"/> while an evaluation reads it.
/// </summary>
public sealed record CustomerFacts(
    JsonObject Traits,
    IReadOnlySet<string> Tags,
    IReadOnlySet<string> Segments,
    Instant? LastSeen,
    DateTimeZone TimeZone,
    RfmClass? Rfm,
    IEventHistory History);
