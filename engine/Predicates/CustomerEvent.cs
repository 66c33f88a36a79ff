using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodaTime;

namespace Waymark.Engine.Predicates;

/// <summary>
/// One event as predicates read it: a counted event of the history, or the current event that
/// <c>property</c> reads. <paramref name="Timestamp"/> is already capped at receipt time; the caller
/// must not change <paramref name="Properties"/> while an evaluation reads it. Journey runs persist it as JSON.
/// </summary>
public sealed record CustomerEvent(string Name, [property: JsonConverter(typeof(InstantJsonConverter))] Instant Timestamp, JsonObject Properties);
