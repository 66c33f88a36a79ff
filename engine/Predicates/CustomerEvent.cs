using System.Text.Json.Nodes;
using NodaTime;

namespace Waymark.Engine.Predicates;

/// <summary>
/// One event as predicates read it: a counted event of the history, or the current event that
/// <c>property</c> reads. <paramref name="Timestamp"/> is already capped at receipt time; the caller
/// must not change <paramref name="Properties"/> while an evaluation reads it.
/// </summary>
public sealed record CustomerEvent(string Name, Instant Timestamp, JsonObject Properties);
