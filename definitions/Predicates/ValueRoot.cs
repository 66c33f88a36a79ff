namespace Waymark.Definitions.Predicates;

/// <summary>Where a <see cref="ValuePath"/> reads from.</summary>
public enum ValueRoot
{
    /// <summary><c>trigger.properties.…</c>: the event that started the run.</summary>
    TriggerProperties,

    /// <summary><c>event.properties.…</c>: the run's current event (the last one a waitEvent received, else the trigger).</summary>
    EventProperties,

    /// <summary><c>customer.traits.…</c>.</summary>
    CustomerTraits,
}
