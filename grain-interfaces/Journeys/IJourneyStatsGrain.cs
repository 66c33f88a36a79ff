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
}
