using System.ComponentModel.DataAnnotations;

namespace Waymark.Grains.Segments;

/// <summary>Section <c>Waymark:Segments</c>: how fast the segment runtime's background work may go.</summary>
public sealed class SegmentOptions
{
    public const string Section = "Waymark:Segments";

    /// <summary>
    /// The most customers a backfill brings up to date per second on the workspace (one page every
    /// <see cref="BackfillPageSize"/> / this). A backfill activates each customer it visits, so this is the share of the
    /// node it may take from ingestion and wake-ups.
    /// </summary>
    [Range(1, 1_000_000)]
    public int BackfillPerSecond { get; set; } = 2_000;

    /// <summary>Customers read from the registry, and evaluated at once, per step of a backfill; the cursor is saved after each.</summary>
    [Range(1, 10_000)]
    public int BackfillPageSize { get; set; } = 250;
}
