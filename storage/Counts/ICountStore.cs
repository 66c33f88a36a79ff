namespace Waymark.Storage.Counts;

/// <summary>
/// Journey statistics: the totals of each counter of a journey version per UTC hour (<c>waymark_counts</c>), and the
/// flush that moves pending changes into them. Changes are written by the customer log's append, in the transaction
/// of the entries that caused them
/// (<see cref="CustomerLog.ICustomerLog.AppendAsync(IReadOnlyList{CustomerLog.LogEntry}, IReadOnlyList{Timers.TimerEntry}, IReadOnlyList{CountDelta}, CancellationToken)"/>),
/// and count in the totals only once flushed.
/// </summary>
public interface ICountStore
{
    /// <summary>Adds up to <paramref name="maxDeltas"/> pending rows, lowest ids first, to the totals and deletes them,
    /// in one transaction; returns how many it moved. Each change is added
    /// exactly once, however many processes flush at once and while appends commit: a flush that fails moves nothing.
    /// A result below <paramref name="maxDeltas"/> means nothing else was pending (or all else was being flushed by
    /// another process), so <c>while (await FlushAsync(n) == n) { }</c> drains a backlog.</summary>
    Task<int> FlushAsync(int maxDeltas, CancellationToken cancellationToken = default);

    /// <summary>The flushed totals of journey <paramref name="journeyId"/>, of one <paramref name="version"/> when given,
    /// in the buckets (hour starts) in [<paramref name="from"/>, <paramref name="to"/>) as far as those are given,
    /// ascending by (Version, Bucket, Counter). Pending changes are not in them.</summary>
    Task<IReadOnlyList<CountTotal>> ReadAsync(
        string workspace,
        string journeyId,
        int? version,
        DateTimeOffset? from,
        DateTimeOffset? to,
        CancellationToken cancellationToken = default);
}
