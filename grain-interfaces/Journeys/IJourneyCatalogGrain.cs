using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// The list of a workspace's journeys, keyed by workspace id, kept by the journey grains. Read by the
/// management API and, through a per-silo cache, by the runtime to find the journeys an event triggers:
/// never called per event.
/// </summary>
public interface IJourneyCatalogGrain : IGrainWithStringKey
{
    /// <summary>Records a journey's summary unless a newer revision of it is recorded already.</summary>
    Task Upsert(JourneySummary summary);

    [ReadOnly]
    Task<ImmutableArray<JourneySummary>> List();
}

/// <summary>
/// A journey as the catalogue lists it: the trigger of its active version (what the runtime indexes by
/// event name or segment) and every segment its draft or active version names (what segment deletion checks).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneySummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] JourneyStatus Status,
    [property: Id(3)] int? ActiveVersion,
    [property: Id(4)] JourneyTriggerInfo? ActiveTrigger,
    [property: Id(5)] ImmutableArray<string> Segments,
    [property: Id(6)] long Revision);

/// <summary>What starts runs of a published version: an event name, a segment, a schedule or the API.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyTriggerInfo(
    [property: Id(0)] string Type,
    [property: Id(1)] string? Event,
    [property: Id(2)] string? Segment);
