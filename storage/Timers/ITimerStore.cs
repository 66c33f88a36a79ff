namespace Waymark.Storage.Timers;

/// <summary>
/// The timer wheel's table as its shards use it: take the wake-ups that are due, in due order, and remove those that
/// were delivered. Wake-ups are written by the customer log's append, in the transaction of the entry that says why
/// (<see cref="CustomerLog.ICustomerLog.AppendAsync(IReadOnlyList{CustomerLog.LogEntry}, IReadOnlyList{TimerEntry}, IReadOnlyList{Counts.CountDelta}, CancellationToken)"/>).
/// </summary>
public interface ITimerStore
{
    /// <summary>The wake-ups of <paramref name="shard"/> due at or before <paramref name="upTo"/>, ascending by
    /// (Due, Target, Tag), only those after <paramref name="after"/> in that order when it is given, at most
    /// <paramref name="limit"/>. The range scan of the table's key: its cost does not grow with later wake-ups.</summary>
    Task<IReadOnlyList<TimerEntry>> DueAsync(
        int shard, DateTimeOffset upTo, int limit, TimerEntry? after = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes these wake-ups, all in one statement or one transaction; those already gone are ignored.</summary>
    Task RemoveAsync(IReadOnlyCollection<TimerEntry> entries, CancellationToken cancellationToken = default);
}
