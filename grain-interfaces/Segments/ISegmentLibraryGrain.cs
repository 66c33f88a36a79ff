using System.Collections.Immutable;
using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.GrainInterfaces.Segments;

/// <summary>
/// A workspace's segment definitions, keyed by workspace id. Definitions are few and small; holding them
/// together lets a save refuse cycles between segments without a race, and lets a silo cache the whole
/// set for evaluation. Membership lives elsewhere (it is per customer). Every save or delete moves the
/// workspace's segment <see cref="SegmentCatalogView.Generation"/> on and starts the backfill that brings
/// every customer's membership up to it (<see cref="ISegmentBackfillGrain"/>).
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

    /// <summary>
    /// Every segment with the generation the set is at: what the runtime evaluates customers against. Answered even
    /// while a save waits for its backfill to start: that backfill may be visiting customers that read this catalog,
    /// and waiting for the save would leave the three waiting on each other until the call timeout.
    /// </summary>
    [AlwaysInterleave]
    Task<SegmentCatalogView> Catalog();
}

/// <summary>A workspace's segments as of <paramref name="Generation"/>, which every save and delete moves on by one.</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentCatalogView(
    [property: Id(0)] long Generation,
    [property: Id(1)] ImmutableArray<SegmentView> Segments);

/// <summary>
/// A stored segment: its body as saved (canvas.md predicate in <c>where</c>) and when and by whom.
/// <paramref name="Revision"/> is the workspace generation of its last save: a customer's membership evaluated at an
/// older revision is not yet this rule's, and its first evaluation under it is a backfill (no <c>enter</c>).
/// <paramref name="Incarnation"/> is the generation that created it: a segment deleted and made again under the same
/// id is another segment, whose members and counts start afresh.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SegmentView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Body,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] string UpdatedBy,
    [property: Id(5)] long Revision,
    [property: Id(6)] long Incarnation);
