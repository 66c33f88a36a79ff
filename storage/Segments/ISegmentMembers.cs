namespace Waymark.Storage.Segments;

/// <summary>
/// Who is in a segment (<c>waymark_segment_members</c>): one row per (workspace, segment, customer key) in it. Rows are
/// written only by the customer log's append (<see cref="MembershipChange"/>), so a membership commits with the log
/// entries that record it, and erased with the customer (<see cref="CustomerLog.ICustomerLog.EraseAsync"/>); this
/// reads them, and deletes a deleted segment's.
/// </summary>
public interface ISegmentMembers
{
    /// <summary>The customer keys in <paramref name="segment"/>, ascending as the keys collate (ordinally, case-sensitive),
    /// those after <paramref name="afterKey"/> when given, at most <paramref name="limit"/> (1 to
    /// <see cref="SqlSegmentMembers.MaxPageLimit"/>). The last key of a page is the next page's
    /// <paramref name="afterKey"/>; a page shorter than <paramref name="limit"/> is the last.</summary>
    Task<IReadOnlyList<string>> PageAsync(string workspace, string segment, string? afterKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many customer keys are in <paramref name="segment"/>.</summary>
    Task<long> CountAsync(string workspace, string segment, CancellationToken cancellationToken = default);

    /// <summary>Deletes every row of <paramref name="segment"/>, a bounded batch per transaction so that appends never
    /// wait long; nothing when it has none. Rows an append adds while it runs may remain, so the segment's customers
    /// should have stopped writing it (the segment is deleted from the library first).</summary>
    Task DeleteSegmentAsync(string workspace, string segment, CancellationToken cancellationToken = default);
}
