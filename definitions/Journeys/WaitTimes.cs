using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Journeys;

/// <summary>When a <see cref="WaitNode"/> lets the run move on.</summary>
public abstract record WaitTime;

/// <summary>After <see cref="Duration"/> from arrival at the node.</summary>
public sealed record WaitForDuration(TimeSpan Duration) : WaitTime;

/// <summary>At a fixed instant (at once when it is already past).</summary>
public sealed record WaitUntilInstant(Instant At) : WaitTime;

/// <summary>
/// At the time read from the run at <see cref="Property"/>, moved by <see cref="Offset"/> (which may be
/// negative) and then, when <see cref="AtTimeOfDay"/> is given, set to that time of day in the customer's
/// time zone.
/// </summary>
public sealed record WaitUntilProperty(ValuePath Property, TimeSpan Offset, LocalTime? AtTimeOfDay) : WaitTime;
