using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// One published version of a journey, immutable once its journey records it. Keyed
/// <c>{workspace}/{journeyId}/{version}</c>, so the runtime loads exactly the version a run is pinned to
/// and can cache it for good.
/// </summary>
public interface IJourneyVersionGrain : IGrainWithStringKey
{
    /// <summary>Written by the journey grain while publishing, before the journey records the version.</summary>
    Task Store(JourneyVersion version);

    /// <summary>Null when no such version was published.</summary>
    [ReadOnly]
    Task<JourneyVersion?> Get();
}

/// <summary>
/// A published version: the canvas JSON and a copy of every stored template it names, taken at publication,
/// so editing or deleting a template never changes what a running version sends. With the segments it names
/// and its publication time, it re-reads exactly as it was validated, whatever changed since.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneyVersion(
    [property: Id(0)] string JourneyId,
    [property: Id(1)] int Version,
    [property: Id(2)] string Canvas,
    [property: Id(3)] ImmutableDictionary<string, string> Templates,
    [property: Id(4)] DateTimeOffset PublishedAt,
    [property: Id(5)] string PublishedBy,
    [property: Id(6)] string ApprovedBy,
    [property: Id(7)] ImmutableArray<string> Segments);
