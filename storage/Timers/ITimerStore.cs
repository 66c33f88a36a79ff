namespace Waymark.Storage.Timers;

/// <summary>
/// The timer wheel's table as its shards use it: take the wake-ups that are due, in due order, and remove those that
/// were delivered. Wake-ups are written by the customer log's append, in the transaction of the entry that says why
/// (<see cref="CustomerLog.ICustomerLog.AppendAsync(IReadOnlyList{CustomerLog.LogEntry}, IReadOnlyList{TimerEntry}, IReadOnlyList{Counts.CountDelta}, CancellationToken)"/>).
/// Scheduling a key that is stored already keeps one row and adds one to its <see cref="TimerEntry.Generation"/>, so
/// a wake-up scheduled again between a shard's read and its removal is not removed with the one delivered.
/// </summary>
public interface ITimerStore
{
    /// <summary>The wake-ups of <paramref name="shard"/> due at or before <paramref name="upTo"/>, ascending by
    /// (Due, Target, Tag), only those after <paramref name="after"/> in that order when it is given, at most
    /// <paramref name="limit"/>. The range scan of the table's key: its cost does not grow with later wake-ups. Each
    /// entry carries the <see cref="TimerEntry.Generation"/> of the row as read.</summary>
    Task<IReadOnlyList<TimerEntry>> DueAsync(
        int shard, DateTimeOffset upTo, int limit, TimerEntry? after = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes these wake-ups, all in one statement or one transaction, each only while its row still has the
    /// entry's <see cref="TimerEntry.Generation"/>: a wake-up scheduled again since it was read stays for the next
    /// poll. Those already gone, or scheduled again, are ignored.</summary>
    Task RemoveAsync(IReadOnlyCollection<TimerEntry> entries, CancellationToken cancellationToken = default);
}
