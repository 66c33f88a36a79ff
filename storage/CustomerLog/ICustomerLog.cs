using Waymark.Storage.Counts;
using Waymark.Storage.Segments;
using Waymark.Storage.Timers;

namespace Waymark.Storage.CustomerLog;

/// <summary>
/// Everything that happens to a customer, append-only: a customer's profile is a projection of its log, and an
/// entry is in the log before the request that caused it is acknowledged.
/// </summary>
public interface ICustomerLog
{
    /// <summary>Writes <paramref name="entries"/> all or none, durable when the task completes. Concurrent calls share
    /// one transaction. Cancelling withdraws entries the writer has not taken yet; once taken, the call ends with
    /// the transaction's outcome, so a cancelled call never hides entries that were written.</summary>
    /// <exception cref="DuplicateLogEntryException">An entry's (workspace, customer key, seq) is already in the log,
    /// or appears twice in <paramref name="entries"/>; nothing of this call was written, other calls are unaffected.</exception>
    /// <exception cref="ArgumentException">An entry is malformed (an empty or over-long field, a seq below 1, a NUL
    /// character or a lone surrogate in a text); nothing was queued.</exception>
    Task AppendAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="entries"/> as <see cref="AppendAsync(IReadOnlyList{LogEntry}, CancellationToken)"/>
    /// does, and in the same transaction schedules <paramref name="timers"/> and records the journey statistics'
    /// changes <paramref name="counts"/>: a run's "waiting until T" entry and its wake-up commit together or not at all,
    /// and so does a step and the counters it moves, which a flush later adds to the totals exactly once
    /// (<see cref="ICountStore"/>). A wake-up already scheduled, or named twice, is stored once and never fails the
    /// append; one already scheduled gets a new <see cref="TimerEntry.Generation"/>, so that a timer shard which read
    /// the row before does not delete it after waking its target (<see cref="ITimerStore.RemoveAsync"/>), and it
    /// fires again. Changes are never refused by the database. Any of the lists may be empty.</summary>
    /// <exception cref="DuplicateLogEntryException">As for entries alone; none of the timers or changes was written either.</exception>
    /// <exception cref="ArgumentException">An entry, a timer or a change is malformed (for a timer: a shard outside 0 to
    /// <see cref="TimerEntry.MaxShard"/>, or an empty or over-long target or tag, or one holding a NUL character or a lone
    /// surrogate; for a change: a version below 1, or such a workspace, journey id or counter); nothing was queued.</exception>
    Task AppendAsync(
        IReadOnlyList<LogEntry> entries,
        IReadOnlyList<TimerEntry> timers,
        IReadOnlyList<CountDelta> counts,
        CancellationToken cancellationToken = default);

    /// <summary>Appends as <see cref="AppendAsync(IReadOnlyList{LogEntry}, IReadOnlyList{TimerEntry}, IReadOnlyList{CountDelta}, CancellationToken)"/>
    /// does, and in the same transaction applies the segment membership changes <paramref name="memberships"/>
    /// (<see cref="ISegmentMembers"/>): a customer's entering or leaving a segment commits with the entries that
    /// record it, or not at all. A key put in a segment it is in, or taken out of one it is not in, changes nothing and
    /// never fails the append; of several changes of one (workspace, segment, key), in one call or in calls sharing a
    /// transaction, the last wins. Any of the lists may be empty.</summary>
    /// <exception cref="DuplicateLogEntryException">As for entries alone; none of the timers, counts or memberships was written either.</exception>
    /// <exception cref="ArgumentException">An entry, a timer, a count change or a membership change is malformed (for a
    /// membership change: an empty or over-long workspace, segment (more than <see cref="MembershipChange.MaxSegmentLength"/>)
    /// or customer key, or one holding a NUL character or a lone surrogate); nothing was queued.</exception>
    Task AppendAsync(
        IReadOnlyList<LogEntry> entries,
        IReadOnlyList<TimerEntry> timers,
        IReadOnlyList<CountDelta> counts,
        IReadOnlyList<MembershipChange> memberships,
        CancellationToken cancellationToken = default);

    /// <summary>Replay: the entries of one customer key with <c>Seq</c> above <paramref name="afterSeq"/>, ascending.</summary>
    Task<IReadOnlyList<LogEntry>> ReadAfterAsync(string workspace, string customerKey, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>The entries of several keys (a merged profile reads its own and every key merged into it), newest first
    /// by (At desc, CustomerKey asc, Seq desc), older than <paramref name="before"/> when given, of the given
    /// <paramref name="kinds"/> (null for every kind), at most <paramref name="limit"/>.</summary>
    Task<TimelinePage> ReadTimelineAsync(
        string workspace,
        IReadOnlyCollection<string> customerKeys,
        IReadOnlyCollection<string>? kinds,
        TimelineCursor? before,
        int limit,
        CancellationToken cancellationToken = default);

    /// <summary>The <c>event</c> entries of the given keys with At in [<paramref name="from"/>, <paramref name="to"/>),
    /// only those named <paramref name="name"/> when given, ascending by At (then key and seq).</summary>
    Task<IReadOnlyList<LogEntry>> ReadWindowAsync(
        string workspace,
        IReadOnlyCollection<string> customerKeys,
        string? name,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default);

    /// <summary>The <see cref="LogEntry.MessageKind"/> entries of <paramref name="workspace"/> named
    /// <paramref name="messageId"/>, whichever customer key holds them, ascending by At (then key and seq). A message id
    /// is a hash and names no customer, so this is how delivery feedback finds its message's customer; the customer
    /// reads it too, to count each type of feedback once.</summary>
    Task<IReadOnlyList<LogEntry>> ReadMessageAsync(string workspace, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The customer registry: the customer keys of <paramref name="workspace"/>, each once, ascending as the keys
    /// collate (by code point, case-sensitive), those after <paramref name="afterKey"/> when given, at most
    /// <paramref name="limit"/> (1 to <see cref="SqlCustomerLog.MaxCustomersLimit"/>). A key is in it from its first entry
    /// (seq 1) on, merged-away keys included, until it is erased. The last key of a page is the next page's
    /// <paramref name="afterKey"/>; a page shorter than <paramref name="limit"/> is the last. Read from an index over the
    /// entries with seq 1, so paging costs the page, whatever the customers' histories.</summary>
    Task<IReadOnlyList<string>> ListCustomersAsync(string workspace, string? afterKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many keys the customer registry of <paramref name="workspace"/> holds
    /// (<see cref="ListCustomersAsync"/>); it reads one index row per key.</summary>
    Task<long> CountCustomersAsync(string workspace, CancellationToken cancellationToken = default);

    /// <summary>Deletes every entry of these keys in <paramref name="workspace"/>, and in the same transaction their
    /// segment memberships.</summary>
    Task EraseAsync(string workspace, IReadOnlyCollection<string> customerKeys, CancellationToken cancellationToken = default);
}
