using System.Text.Json.Nodes;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>Reads <c>trigger.properties.…</c>, <c>event.properties.…</c> and <c>customer.traits.…</c> for a run.</summary>
internal static class RunPaths
{
    /// <summary>The run's values as predicates read them: the trigger's properties and the current event's.</summary>
    public static RunValues ValuesOf(JourneyRun run) => new(run.TriggerProperties, run.CurrentEvent?.Properties);

    /// <summary>The value at <paramref name="path"/>, each dot one object deeper; null when absent or JSON null.</summary>
    public static JsonNode? Read(ValuePath path, JourneyRun run, CustomerFacts customer)
    {
        JsonNode? current = path.Root switch
        {
            ValueRoot.TriggerProperties => run.TriggerProperties,
            ValueRoot.EventProperties => run.CurrentEvent?.Properties,
            ValueRoot.CustomerTraits => customer.Traits,
            _ => null,
        };
        foreach (var part in path.Name.Split('.'))
        {
            current = current is JsonObject parent && parent.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return current;
    }
}
