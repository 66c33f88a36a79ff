using System.Collections.Immutable;
using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.GrainInterfaces.Segments;

/// <summary>
/// A workspace's segment definitions, keyed by workspace id. Definitions are few and small; holding them
/// together lets a save refuse cycles between segments without a race, and lets a silo cache the whole
/// set for evaluation. Membership lives elsewhere (it is per customer).
/// </summary>
public interface ISegmentLibraryGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a segment after validating its body (<c>{ name, description?, where }</c>).</summary>
    Task<Outcome<SegmentView>> Put(string id, string bodyJson, Actor by);

    [ReadOnly]
    Task<SegmentView?> Get(string id);

    [ReadOnly]
    Task<ImmutableArray<SegmentView>> List();

    /// <summary>Refused while another segment or a journey (draft or active version) names it.</summary>
    Task<Outcome<string>> Delete(string id);

    /// <summary>Every segment id with the segments its rule names: what validation of journeys and segments needs.</summary>
    [ReadOnly]
    Task<ImmutableDictionary<string, ImmutableArray<string>>> References();
}

/// <summary>A stored segment: its body as saved (canvas.md predicate in <c>where</c>) and when and by whom.</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Body,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] string UpdatedBy);
