using Waymark.Storage.CustomerLog;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Segments;

/// <summary>
/// A change of one customer key's membership of one segment: with <see cref="Member"/> the key is put in segment
/// <see cref="Segment"/> of <see cref="Workspace"/> (a row of <c>waymark_segment_members</c>; already there, nothing
/// changes), without it the key is taken out (not there, nothing changes). Written by the customer log's append, in
/// the transaction of the entries that record it
/// (<see cref="ICustomerLog.AppendAsync(IReadOnlyList{LogEntry}, IReadOnlyList{Timers.TimerEntry}, IReadOnlyList{Counts.CountDelta}, IReadOnlyList{MembershipChange}, CancellationToken)"/>);
/// read through <see cref="ISegmentMembers"/>.
/// </summary>
public sealed record MembershipChange(string Workspace, string Segment, string CustomerKey, bool Member)
{
    // The column width on SQL Server; every database enforces it. A segment id is [a-z0-9][a-z0-9-]{0,63}
    // (Waymark.Definitions.DefinitionIds); the workspace and customer key are a log entry's. The key is then at most
    // 2 × (64 + 64 + 256) = 768 bytes, within SQL Server's 900.
    public const int MaxSegmentLength = 64;

    /// <summary>Why <paramref name="change"/> cannot be stored, or null when it can.</summary>
    internal static string? Problem(MembershipChange? change) =>
        change is null ? "it is null."
        : StoredText.Problem(change.Workspace, LogEntry.MaxWorkspaceLength, nameof(Workspace))
            ?? StoredText.Problem(change.Segment, MaxSegmentLength, nameof(Segment))
            ?? StoredText.Problem(change.CustomerKey, LogEntry.MaxCustomerKeyLength, nameof(CustomerKey));

    /// <summary>
    /// The last of the changes of each (workspace, segment, customer key), which is what writing them one after
    /// another would leave, ordered by that key (texts compared ordinally): each row is then written once, and
    /// concurrent writers take the rows' locks in the same order.
    /// </summary>
    internal static MembershipChange[] LastWins(IEnumerable<MembershipChange> changes)
    {
        var last = new Dictionary<(string Workspace, string Segment, string CustomerKey), MembershipChange>();
        foreach (var change in changes)
        {
            last[(change.Workspace, change.Segment, change.CustomerKey)] = change;
        }

        var distinct = last.Values.ToArray();
        Array.Sort(distinct, static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Workspace, b.Workspace);
            if (order == 0)
            {
                order = string.CompareOrdinal(a.Segment, b.Segment);
            }

            return order != 0 ? order : string.CompareOrdinal(a.CustomerKey, b.CustomerKey);
        });
        return distinct;
    }
}
