namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// The audience limit of one journey (<c>entry.limit</c>), exact across the cluster: one grain per journey,
/// keyed <c>{workspace}/{journeyId}</c>, called only when a customer is about to enter a journey that has a limit.
/// </summary>
public interface IJourneyLimitGrain : IGrainWithStringKey
{
    /// <summary>Takes one place for <paramref name="entryId"/> unless <paramref name="limit"/> places are taken; asking again for the same entry answers the same.</summary>
    Task<bool> TryTake(long limit, string entryId);
}
