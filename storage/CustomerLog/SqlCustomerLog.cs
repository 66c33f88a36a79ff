using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Waymark.Storage.Counts;
using Waymark.Storage.Segments;
using Waymark.Storage.Sql;
using Waymark.Storage.Timers;

namespace Waymark.Storage.CustomerLog;

/// <summary>
/// The customer log in <c>waymark_customer_log</c>, with group commit: appends go to a queue, and one writer loop
/// takes everything queued (up to <see cref="CustomerLogOptions.MaxBatchEntries"/>), writes it in one transaction
/// with the database's bulk insert, and completes the callers once it has committed. There is no timer: while a
/// transaction runs the next batch queues up, so batches grow with load. An append costs the same whatever the
/// customer's history, since it only inserts under the primary key. Durability is the database's own commit.
/// The timer wheel's wake-ups (<c>waymark_timers</c>) and the journey statistics' changes
/// (<c>waymark_count_deltas</c>) that an append carries are inserted in the same transaction; changes of the same
/// counter and hour are added up first, within a caller and within a batch, so they take one row. Segment membership
/// changes (<c>waymark_segment_members</c>) are written in it too, only the last change of each key, within a caller
/// and within a batch.
/// </summary>
/// <remarks>
/// Retention: the log keeps at least 400 days of every customer, because window predicates default to "all retained
/// history, at least 400 days" and profiles are rebuilt from it. A pruning job (not built yet; until then the log
/// keeps everything) will delete older entries in bounded batches, and never entries after a customer's snapshot
/// <c>Seq</c>, since activation replays from there.
/// </remarks>
public sealed partial class SqlCustomerLog : ICustomerLog, IAsyncDisposable
{
    private const string Savepoint = "append";

    // A page is read into memory whole; the HTTP API asks for at most 500.
    private const int MaxTimelineLimit = 10_000;

    /// <summary>The most keys one page of the customer registry may ask for (<see cref="ListCustomersAsync"/>).</summary>
    public const int MaxCustomersLimit = 10_000;

    private readonly WaymarkDatabase _database;
    private readonly CustomerLogDialect _dialect;
    private readonly TimerDialect _timerDialect;
    private readonly CountDialect _countDialect;
    private readonly SegmentMembersDialect _membersDialect;
    private readonly int _maxBatchEntries;
    private readonly ILogger _logger;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>();
    private readonly Task _writer;

    // Only the writer loop touches them.
    private readonly List<LogEntry> _batchEntries = [];
    private readonly List<TimerEntry> _batchTimers = [];
    private readonly List<CountDelta> _batchCounts = [];
    private readonly List<MembershipChange> _batchMemberships = [];
    private long _transactions;

    public SqlCustomerLog(WaymarkDatabase database, CustomerLogOptions? options = null, ILogger<SqlCustomerLog>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _dialect = CustomerLogDialect.For(database.Provider);
        _timerDialect = TimerDialect.For(database.Provider);
        _countDialect = CountDialect.For(database.Provider);
        _membersDialect = SegmentMembersDialect.For(database.Provider);
        _maxBatchEntries = options?.MaxBatchEntries ?? new CustomerLogOptions().MaxBatchEntries;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_maxBatchEntries, $"{nameof(options)}.{nameof(CustomerLogOptions.MaxBatchEntries)}");
        _logger = logger ?? NullLogger<SqlCustomerLog>.Instance;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Transactions the writer has committed: fewer than appends when they were grouped.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Appends queued and not yet taken by the writer.</summary>
    internal int Queued => _queue.Reader.Count;

    public Task AppendAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, [], [], cancellationToken);

    public Task AppendAsync(
        IReadOnlyList<LogEntry> entries,
        IReadOnlyList<TimerEntry> timers,
        IReadOnlyList<CountDelta> counts,
        CancellationToken cancellationToken = default) =>
        AppendAsync(entries, timers, counts, [], cancellationToken);

    public async Task AppendAsync(
        IReadOnlyList<LogEntry> entries,
        IReadOnlyList<TimerEntry> timers,
        IReadOnlyList<CountDelta> counts,
        IReadOnlyList<MembershipChange> memberships,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(memberships);
        Validate(entries, Problem, "Entry", nameof(entries));
        Validate(timers, TimerEntry.Problem, "Timer", nameof(timers));
        Validate(counts, CountDelta.Problem, "Count", nameof(counts));
        Validate(memberships, MembershipChange.Problem, "Membership", nameof(memberships));

        cancellationToken.ThrowIfCancellationRequested();
        if (entries.Count == 0 && timers.Count == 0 && counts.Count == 0 && memberships.Count == 0)
        {
            return;
        }

        // Copies (the caller's lists may change while they wait in the queue), the changes already added up.
        var pending = new PendingAppend([.. entries], [.. timers], CountDelta.Sum(counts), MembershipChange.LastWins(memberships));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

        using (cancellationToken.Register(static (state, token) => ((PendingAppend)state!).Cancel(token), pending))
        {
            await pending.Completion.Task;
        }
    }

    public async Task<IReadOnlyList<LogEntry>> ReadAfterAsync(string workspace, string customerKey, long afterSeq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(customerKey);
        return await QueryAsync(command => _dialect.PrepareReadAfter(command, workspace, customerKey, afterSeq), cancellationToken);
    }

    public async Task<TimelinePage> ReadTimelineAsync(
        string workspace,
        IReadOnlyCollection<string> customerKeys,
        IReadOnlyCollection<string>? kinds,
        TimelineCursor? before,
        int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(customerKeys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxTimelineLimit);
        if (customerKeys.Count == 0 || kinds?.Count == 0)
        {
            return new TimelinePage([], null);
        }

        // One row past the page tells whether anything older remains.
        var rows = await QueryAsync(command => _dialect.PrepareTimeline(command, workspace, customerKeys, kinds, before, limit + 1), cancellationToken);
        if (rows.Count <= limit)
        {
            return new TimelinePage(rows, null);
        }

        rows.RemoveAt(limit);
        var last = rows[^1];
        return new TimelinePage(rows, new TimelineCursor(last.At, last.CustomerKey, last.Seq));
    }

    public async Task<IReadOnlyList<LogEntry>> ReadWindowAsync(
        string workspace,
        IReadOnlyCollection<string> customerKeys,
        string? name,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(customerKeys);
        if (customerKeys.Count == 0)
        {
            return [];
        }

        return await QueryAsync(command => _dialect.PrepareWindow(command, workspace, customerKeys, name, from, to), cancellationToken);
    }

    public async Task<IReadOnlyList<LogEntry>> ReadMessageAsync(string workspace, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(messageId);
        return await QueryAsync(command => _dialect.PrepareMessage(command, workspace, messageId), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListCustomersAsync(string workspace, string? afterKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxCustomersLimit);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        _dialect.PrepareCustomers(command, workspace, afterKey, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task<long> CountCustomersAsync(string workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);

        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        _dialect.PrepareCountCustomers(command, workspace);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task EraseAsync(string workspace, IReadOnlyCollection<string> customerKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(customerKeys);
        if (customerKeys.Count == 0)
        {
            return;
        }

        // The entries and the memberships they recorded go together.
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            _dialect.PrepareErase(command, workspace, customerKeys);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            _membersDialect.PrepareErase(command, workspace, customerKeys);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Stops taking appends, writes those already queued, and ends the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    /// <summary>Rejects what a database would reject or mangle in one caller's rows before they can share a batch
    /// and fail, or break the connection of, other callers' appends.</summary>
    private static void Validate<T>(IReadOnlyList<T> rows, Func<T, string?> problemOf, string rowName, string parameter)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (problemOf(rows[i]) is { } problem)
            {
                throw new ArgumentException($"{rowName} {i}: {problem}", parameter);
            }
        }
    }

    private static string? Problem(LogEntry? entry) =>
        entry is null ? "it is null."
        : entry.Seq < 1 ? $"Seq is {entry.Seq}; sequence numbers start at 1."
        : StoredText.Problem(entry.Workspace, LogEntry.MaxWorkspaceLength, nameof(LogEntry.Workspace))
            ?? StoredText.Problem(entry.CustomerKey, LogEntry.MaxCustomerKeyLength, nameof(LogEntry.CustomerKey))
            ?? StoredText.Problem(entry.Kind, LogEntry.MaxKindLength, nameof(LogEntry.Kind))
            ?? (entry.Name is null ? null : StoredText.Problem(entry.Name, LogEntry.MaxNameLength, nameof(LogEntry.Name)))
            ?? StoredText.Problem(entry.Payload, int.MaxValue, nameof(LogEntry.Payload));

    private async Task<List<LogEntry>> QueryAsync(Action<DbCommand> prepare, CancellationToken cancellationToken)
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        prepare(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<LogEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(_dialect.ReadEntry(reader));
        }

        return entries;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingAppend>();
        while (await reader.WaitToReadAsync())
        {
            var rowCount = 0;
            while (reader.TryPeek(out var next) && (batch.Count == 0 || rowCount + next.Rows <= _maxBatchEntries))
            {
                // Taken before it leaves the queue, so that Queued == 0 means the writer holds it.
                if (next.TryTake())
                {
                    batch.Add(next);
                    rowCount += next.Rows;
                }

                reader.TryRead(out _);
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>Writes the whole batch in one transaction. If an insert fails with a database error and the batch has
    /// several callers, that transaction is rolled back and the batch written again caller by caller, each under a
    /// savepoint in one transaction, so that one caller's bad entries fail that caller alone. A failed commit is not
    /// retried: it may have committed after all, and a second try would report written entries as duplicates.</summary>
    private async Task WriteBatchAsync(List<PendingAppend> batch)
    {
        _batchEntries.Clear();
        _batchTimers.Clear();
        _batchCounts.Clear();
        _batchMemberships.Clear();
        foreach (var pending in batch)
        {
            _batchEntries.AddRange(pending.Entries);
            _batchTimers.AddRange(pending.Timers);
            _batchCounts.AddRange(pending.Counts);
            _batchMemberships.AddRange(pending.Memberships);
        }

        if (batch.Count > 1 && _batchCounts.Count > 0)
        {
            // Callers of one batch often move the same counters (customers passing the same node in the same hour).
            var summed = CountDelta.Sum(_batchCounts);
            _batchCounts.Clear();
            _batchCounts.AddRange(summed);
        }

        if (batch.Count > 1 && _batchMemberships.Count > 0)
        {
            // Callers in queue order, so a later caller's change of a key wins, as it would in a later transaction.
            var last = MembershipChange.LastWins(_batchMemberships);
            _batchMemberships.Clear();
            _batchMemberships.AddRange(last);
        }

        bool committed;
        try
        {
            committed = await InTransactionAsync(async (connection, transaction) =>
            {
                try
                {
                    await InsertAsync(connection, transaction, _batchEntries, _batchTimers, _batchCounts, _batchMemberships);
                    return true;
                }
                catch (DbException) when (batch.Count > 1)
                {
                    return false;
                }
            });
        }
        catch (Exception e)
        {
            Fail(batch, e);
            return;
        }
        finally
        {
            _batchEntries.Clear();
            _batchTimers.Clear();
            _batchCounts.Clear();
            _batchMemberships.Clear();
        }

        if (!committed)
        {
            await WriteEachUnderSavepointAsync(batch);
            return;
        }

        foreach (var pending in batch)
        {
            pending.Completion.TrySetResult();
        }
    }

    private async Task WriteEachUnderSavepointAsync(List<PendingAppend> batch)
    {
        var failures = new Exception?[batch.Count];
        try
        {
            await InTransactionAsync(async (connection, transaction) =>
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    await transaction.SaveAsync(Savepoint);
                    try
                    {
                        await InsertAsync(connection, transaction, batch[i].Entries, batch[i].Timers, batch[i].Counts, batch[i].Memberships);
                        await transaction.ReleaseAsync(Savepoint);
                    }
                    catch (DbException e)
                    {
                        await transaction.RollbackAsync(Savepoint);
                        failures[i] = Describe(e, batch[i].Entries);
                    }
                }

                return true;
            });
        }
        catch (Exception e)
        {
            Fail(batch, e);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Completion.TrySetException(failure);
            }
            else
            {
                batch[i].Completion.TrySetResult();
            }
        }
    }

    /// <summary>Writes log entries, then timers, then count changes, then membership changes, each only when there are
    /// some: SQL Server refuses an empty table-valued parameter.</summary>
    private async Task InsertAsync(
        DbConnection connection,
        DbTransaction transaction,
        IReadOnlyList<LogEntry> entries,
        IReadOnlyList<TimerEntry> timers,
        IReadOnlyList<CountDelta> counts,
        IReadOnlyList<MembershipChange> memberships)
    {
        if (entries.Count > 0)
        {
            await _dialect.InsertAsync(connection, transaction, entries);
        }

        if (timers.Count > 0)
        {
            await _timerDialect.InsertAsync(connection, transaction, timers);
        }

        if (counts.Count > 0)
        {
            await _countDialect.InsertAsync(connection, transaction, counts);
        }

        if (memberships.Count > 0)
        {
            await _membersDialect.WriteAsync(connection, transaction, memberships);
        }
    }

    /// <summary>Runs <paramref name="write"/> in a new transaction, and commits it if <paramref name="write"/> says so;
    /// otherwise disposing the transaction rolls it back.</summary>
    private async Task<bool> InTransactionAsync(Func<DbConnection, DbTransaction, Task<bool>> write)
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await write(connection, transaction))
        {
            return false;
        }

        await transaction.CommitAsync();
        Interlocked.Increment(ref _transactions);
        return true;
    }

    private void Fail(List<PendingAppend> batch, Exception exception)
    {
        var rows = batch.Sum(pending => pending.Rows);
        var error = batch.Count == 1 ? Describe(exception, batch[0].Entries) : exception;
        if (error is not DuplicateLogEntryException)
        {
            LogWriteFailed(_logger, rows, batch.Count, exception);
        }

        foreach (var pending in batch)
        {
            pending.Completion.TrySetException(error);
        }
    }

    /// <summary>A duplicate key as the exception callers catch, naming the append; any other error as it is.</summary>
    private Exception Describe(Exception exception, LogEntry[] entries)
    {
        // Only log entries can be duplicates: a timer already scheduled is bumped and a membership already there is skipped, and every count change is a new row.
        if (exception is not DbException dbException || !_dialect.IsDuplicateKey(dbException) || entries.Length == 0)
        {
            return exception;
        }

        var first = entries[0];
        return new DuplicateLogEntryException(
            $"An append of {entries.Length} entries (the first for customer '{first.CustomerKey}' of workspace '{first.Workspace}', seq {first.Seq}) " +
            "repeats a (workspace, customer key, seq) that the customer log already holds or that it names twice; nothing of it was written.",
            exception);
    }

    [LoggerMessage(LogLevel.Error, "Writing {Rows} customer log entries, timers and count changes of {Appends} appends failed; every one of those appends was failed with the error.")]
    private static partial void LogWriteFailed(ILogger logger, int rows, int appends, Exception exception);

    /// <summary>One caller's entries, timers, count changes and membership changes, waiting for the transaction that
    /// writes them.</summary>
    private sealed class PendingAppend(LogEntry[] entries, TimerEntry[] timers, CountDelta[] counts, MembershipChange[] memberships)
    {
        private const int Waiting = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;

        private int _state = Waiting;

        public LogEntry[] Entries => entries;

        public TimerEntry[] Timers => timers;

        /// <summary>The changes, already added up per counter and hour.</summary>
        public CountDelta[] Counts => counts;

        /// <summary>The membership changes, the last of each key only, in key order.</summary>
        public MembershipChange[] Memberships => memberships;

        /// <summary>What this append adds to a batch, counted against <see cref="CustomerLogOptions.MaxBatchEntries"/>.</summary>
        public int Rows => entries.Length + timers.Length + counts.Length + memberships.Length;

        // Callers resume on the thread pool, not inside the writer loop.
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Claims the entries for a batch, unless the caller cancelled first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

        /// <summary>Withdraws the entries, unless the writer already took them.</summary>
        public void Cancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
            {
                Completion.TrySetCanceled(token);
            }
        }
    }
}
