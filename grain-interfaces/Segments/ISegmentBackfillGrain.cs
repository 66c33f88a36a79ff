using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Segments;

/// <summary>
/// A workspace's segment backfill, keyed by workspace id: it walks every customer the workspace has (the customer
/// registry, in key order) and has each one bring its segment memberships up to a generation of the segment library,
/// a page at a time, paced so ingestion keeps its share of the node. Its cursor is durable and a reminder keeps it
/// going, so a crash resumes it where it was; a newer generation restarts it from the first customer.
/// </summary>
public interface ISegmentBackfillGrain : IGrainWithStringKey
{
    /// <summary>Brings every customer up to <paramref name="generation"/>; nothing when it is not newer than the target.</summary>
    Task Start(long generation);

    /// <summary>Where the backfill stands; answered even while it works.</summary>
    [AlwaysInterleave]
    Task<BackfillProgress> Progress();
}

/// <summary>
/// A backfill's state: every customer is up to <paramref name="Completed"/>; while <paramref name="Target"/> is newer,
/// <paramref name="Processed"/> of about <paramref name="Total"/> customers have been brought up to it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BackfillProgress(
    [property: Id(0)] long Target,
    [property: Id(1)] long Completed,
    [property: Id(2)] long Processed,
    [property: Id(3)] long Total)
{
    /// <summary>Whether a segment saved at <paramref name="revision"/> is evaluated for every customer.</summary>
    public bool IsReady(long revision) => revision <= Completed;

    /// <summary>The share of customers done, 0 to 1 (1 when there is nothing to do).</summary>
    public double Fraction => Target <= Completed || Total <= 0 ? 1.0 : Math.Min(1.0, (double)Processed / Total);
}
