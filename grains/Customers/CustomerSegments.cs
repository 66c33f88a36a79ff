using Waymark.Definitions.Predicates;
using Waymark.Engine.Segments;

namespace Waymark.Grains.Customers;

/// <summary>
/// The customer's segment memberships, as its log and snapshot keep them: the segments it is in (each with the
/// incarnation it joined, so a segment deleted and made again under the same id starts empty), the library generation
/// it was last evaluated at (a segment saved after that is not yet evaluated under its rule: its first evaluation is a
/// backfill and fires no <c>enter</c>), and when its memberships next change with no new data.
/// </summary>
public sealed class CustomerSegments
{
    /// <summary>Segment id → the incarnation of the segment the customer joined.</summary>
    public Dictionary<string, long> Members { get; set; } = new(StringComparer.Ordinal);

    public long Generation { get; set; }

    /// <summary>The due time of the scheduled <c>segments</c> wake-up; null when none is scheduled.</summary>
    public DateTimeOffset? WakeAt { get; set; }

    /// <summary>The customer's share of the workspace RFM sums, as last added to them.</summary>
    public RfmContribution Rfm { get; set; }

    /// <summary>The customer's RFM class at its last evaluation, which journeys' predicates read too.</summary>
    public RfmClass? RfmClass { get; set; }

    internal void Apply(SegmentRecord record)
    {
        if (record.On == SegmentRecord.Enter)
        {
            Members[record.Segment] = record.Incarnation;
        }
        else
        {
            Members.Remove(record.Segment);
        }

        Generation = Math.Max(Generation, record.Generation);
    }

    internal void Apply(SegmentsEvaluatedRecord record) => Generation = Math.Max(Generation, record.Generation);

    internal void Apply(RfmRecord record) => (Rfm, RfmClass) = (record.Contribution, record.Class);
}
