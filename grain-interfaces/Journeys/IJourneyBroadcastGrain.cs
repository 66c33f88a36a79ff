using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// Enrols a journey's audience in bulk, keyed <c>{workspace}/{journeyId}</c>: at publication, the members of the segment of
/// a <c>segment</c> trigger with <c>includeExisting</c>; at the time of a <c>schedule</c> trigger (and every <c>every</c>
/// after), every member of its segment. Each such firing pages through the segment's members in key order, paced, with a
/// durable cursor and a reminder, so a crash resumes it; each customer enters once per firing, whatever is retried,
/// because its entry id derives from the firing.
/// </summary>
public interface IJourneyBroadcastGrain : IGrainWithStringKey
{
    /// <summary>The journey's <paramref name="version"/> was just published: plans the firings its trigger asks for, replacing those of earlier versions.</summary>
    Task Published(int version);

    /// <summary>Where the firings stand; answered even while one runs.</summary>
    [AlwaysInterleave]
    Task<BroadcastProgress> Progress();
}

/// <summary>
/// A journey's firings: <paramref name="Fired"/> firings done, <paramref name="Current"/> the one running (null when none),
/// with <paramref name="Enrolled"/> customers asked so far, and when the next starts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BroadcastProgress(
    [property: Id(0)] int Fired,
    [property: Id(1)] string? Current,
    [property: Id(2)] long Enrolled,
    [property: Id(3)] DateTimeOffset? NextAt);
