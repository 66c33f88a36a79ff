using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Segments;

/// <summary>
/// Reads a segment's audience (api.md §4): how many, who, and what they look like. A stateless worker, served on the
/// silo that takes the call, so a gateway that is only an Orleans client reads members without a database of its own.
/// </summary>
public interface ISegmentQueryGrain : IGrainWithIntegerKey
{
    /// <summary>The segment's size and whether its backfill is done; null when the workspace has no such segment.</summary>
    [ReadOnly]
    Task<SegmentStatus?> Status(string workspace, string segment);

    /// <summary>
    /// Up to <paramref name="limit"/> members after <paramref name="after"/> (a page's <see cref="MembersPage.Next"/>),
    /// each as its customer key, in key order.
    /// </summary>
    [ReadOnly]
    Task<MembersPage> Members(string workspace, string segment, string? after, int limit);

    /// <summary>
    /// A page of members as export rows: each member's id and the text of each of <paramref name="traits"/> (null when
    /// it has none), read from its profile; <see cref="MemberRowsPage.Next"/> as for <see cref="Members"/>.
    /// </summary>
    [ReadOnly]
    Task<MemberRowsPage> MemberRows(string workspace, string segment, string? after, int limit, ImmutableArray<string> traits);

    /// <summary>
    /// The share of customers with each value of each trait in <paramref name="traits"/>, and with each tag, inside the
    /// segment and across the workspace; over a sample of at most <see cref="SegmentInsight.SampleSize"/> customers each.
    /// </summary>
    [ReadOnly]
    Task<SegmentInsight> Insight(string workspace, string segment, ImmutableArray<string> traits);
}

/// <summary>A segment's size, and where its backfill stands (<c>building</c> until every customer is evaluated under its rule).</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentStatus(
    [property: Id(0)] long Count,
    [property: Id(1)] bool Ready,
    [property: Id(2)] double Progress);

/// <summary>A page of a segment's members (customer keys); <see cref="Next"/> is the last key, or null on the last page.</summary>
[GenerateSerializer, Immutable]
public sealed record MembersPage(
    [property: Id(0)] ImmutableArray<string> CustomerKeys,
    [property: Id(1)] string? Next);

/// <summary>Export rows of a page of members (<see cref="ISegmentQueryGrain.MemberRows"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record MemberRowsPage(
    [property: Id(0)] ImmutableArray<MemberRow> Rows,
    [property: Id(1)] string? Next);

/// <summary>One member: its id as the API shows customers, and its traits' texts in the order asked.</summary>
[GenerateSerializer, Immutable]
public sealed record MemberRow(
    [property: Id(0)] string Id,
    [property: Id(1)] ImmutableArray<string?> Traits);

/// <summary>
/// api.md §4 <c>insight</c>: <paramref name="Size"/> members and <paramref name="WorkspaceSize"/> customers; for each asked
/// trait, the share of customers with each value (segment and workspace), and the share with each tag.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SegmentInsight(
    [property: Id(0)] long Size,
    [property: Id(1)] long WorkspaceSize,
    [property: Id(2)] ImmutableDictionary<string, TraitShares> Traits,
    [property: Id(3)] TraitShares Tags,
    [property: Id(4)] int SegmentSample,
    [property: Id(5)] int WorkspaceSample)
{
    /// <summary>The most customers read on each side: shares of a larger audience are estimated from an even sample.</summary>
    public const int SampleSize = 1000;
}

/// <summary>Value → share of customers, inside the segment and across the workspace.</summary>
[GenerateSerializer, Immutable]
public sealed record TraitShares(
    [property: Id(0)] ImmutableDictionary<string, double> Segment,
    [property: Id(1)] ImmutableDictionary<string, double> Workspace);
