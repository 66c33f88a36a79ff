using System.Text.Json.Nodes;

namespace Waymark.Engine.Predicates;

/// <summary>
/// The journey run's values that <c>{ "path" }</c> operands read: <c>trigger.properties.…</c> (the event
/// that started the run) and <c>event.properties.…</c> (the run's current event: the last one a waitEvent
/// received, else the trigger). Null outside a run, or where the run has no such event.
/// </summary>
public sealed record RunValues(JsonObject? TriggerProperties, JsonObject? EventProperties)
{
    /// <summary>Outside a run (a segment, a trigger's where): every run path is unresolvable.</summary>
    public static RunValues None { get; } = new(null, null);
}
