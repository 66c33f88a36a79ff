using NodaTime;
using NodaTime.TimeZones;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>When a wait node lets a run move on (canvas.md "until details").</summary>
internal static class WaitDue
{
    /// <summary>A DST gap resolves to its end (the next valid instant), an overlap to its first (earlier) instant; quiet hours place their ends the same way.</summary>
    internal static readonly ZoneLocalMappingResolver GapToEndOverlapToFirst =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    // Far enough inside NodaTime's range that a local date, a zone offset and a gap all still fit.
    private static readonly Instant EarliestPlaceable = Instant.MinValue + Duration.FromDays(3);
    private static readonly Instant LatestPlaceable = Instant.MaxValue - Duration.FromDays(3);

    /// <summary>
    /// The instant the wait ends for a run that arrived at <paramref name="arrivedAt"/>; null when an
    /// <c>until</c> property is missing, not a timestamp with offset, or too far out to place in a time zone.
    /// </summary>
    public static Instant? Of(WaitTime time, Instant arrivedAt, JourneyRun run, CustomerFacts customer) => time switch
    {
        WaitForDuration wait => Instants.Shift(arrivedAt, Duration.FromTimeSpan(wait.Duration)),
        WaitUntilInstant until => until.At,
        WaitUntilProperty until => FromProperty(until, run, customer),
        _ => throw new ArgumentOutOfRangeException(nameof(time), $"unknown wait time {time.GetType().Name}"),
    };

    private static Instant? FromProperty(WaitUntilProperty until, JourneyRun run, CustomerFacts customer)
    {
        // Read as predicates read timestamps: text in ISO 8601 with an offset.
        if (RuntimeValue.Of(RunPaths.Read(until.Property, run, customer)).Instant is not { } read)
        {
            return null;
        }

        var shifted = Instants.Shift(read, Duration.FromTimeSpan(until.Offset));
        if (until.AtTimeOfDay is not { } timeOfDay)
        {
            return shifted;
        }

        if (shifted < EarliestPlaceable || shifted > LatestPlaceable)
        {
            return null;
        }

        var date = shifted.InZone(customer.TimeZone).Date;
        return customer.TimeZone.ResolveLocal(date + timeOfDay, GapToEndOverlapToFirst).ToInstant();
    }
}
