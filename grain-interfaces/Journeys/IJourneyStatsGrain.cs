using System.Collections.Immutable;
using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// Reads a journey's counts, keyed <c>{workspace}/{journeyId}</c>. Stateless: the counts are pre-aggregated in
/// the database by the customers' own writes, so reading them never touches a grain on the runtime's path.
/// </summary>
public interface IJourneyStatsGrain : IGrainWithStringKey
{
    /// <summary>The counts of <paramref name="version"/>, or of every version together when null; not found for an unknown journey or version.</summary>
    [ReadOnly]
    Task<Outcome<JourneyStats>> Read(int? version);

    /// <summary>
    /// The same counts per <paramref name="bucket"/> (whole hours) from <paramref name="from"/> (down to its hour) until
    /// <paramref name="to"/>: what happened in each bucket, not running totals.
    /// </summary>
    [ReadOnly]
    Task<Outcome<ImmutableArray<JourneyStatsPoint>>> Series(int? version, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket);
}

/// <summary>The counts of the bucket that starts at <paramref name="At"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyStatsPoint([property: Id(0)] DateTimeOffset At, [property: Id(1)] JourneyStats Stats);
