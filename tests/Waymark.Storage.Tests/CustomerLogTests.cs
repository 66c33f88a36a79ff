using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Timers;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteCustomerLogTests(SqliteTestDatabase test) : CustomerLogTests<SqliteTestDatabase>(test)
{
    // Any write takes SQLite's single write lock until the transaction ends.
    protected override string HoldWriteLockSql => "DELETE FROM waymark_customer_log WHERE workspace = ''";

    protected override string ExplainPrefix => "EXPLAIN QUERY PLAN ";
}

public sealed class PostgresCustomerLogTests(PostgresTestDatabase test) : CustomerLogTests<PostgresTestDatabase>(test)
{
    // SHARE lets readers in and keeps every insert, COPY included, waiting.
    protected override string HoldWriteLockSql => "LOCK TABLE waymark_customer_log IN SHARE MODE";

    protected override string ExplainPrefix => "EXPLAIN ";

    // On a table this small a sequential scan is cheapest; the question is which index serves the query.
    protected override string? PlanSetupSql => "SET enable_seqscan = off";
}

/// <summary>The customer log against a real database: group commit, isolation of a failing caller, and the reads.</summary>
public abstract class CustomerLogTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    // Whole microseconds, which every database stores exactly.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 9, 14, 30, 15, TimeSpan.Zero).AddTicks(1_234_560);

    private readonly string _workspace = $"ws-{Guid.NewGuid():N}";

    private SqlCustomerLog _log = null!;

    /// <summary>Run in a transaction of another connection, it keeps the log's writer waiting until that transaction ends.</summary>
    protected abstract string HoldWriteLockSql { get; }

    /// <summary>Put in front of a statement to have the database show the plan it would run.</summary>
    protected abstract string ExplainPrefix { get; }

    /// <summary>Run on the connection before a statement is explained.</summary>
    protected virtual string? PlanSetupSql => null;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);
        _log = new SqlCustomerLog(test.Database);
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task Appended_entries_read_back_exactly_in_seq_order()
    {
        LogEntry[] entries =
        [
            new(_workspace, "Ada", 1, "event", new DateTimeOffset(2025, 3, 9, 22, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_560),
                new DateTimeOffset(2025, 3, 9, 14, 30, 16, TimeSpan.Zero).AddTicks(10), "order_completed", """{"amount":12.5,"note":"naïve ✓ 😀"}"""),
            new(_workspace, "Ada", 2, "profile", new DateTimeOffset(1969, 7, 20, 15, 17, 40, TimeSpan.FromHours(-5)).AddTicks(999_990),
                T0, null, "{}"),
            new(_workspace, "Ada", 3, "event", T0, T0.AddTicks(-10), "page_viewed", $$"""{"text":"{{new string('x', 40_000)}}"}"""),
        ];

        await _log.AppendAsync(entries);

        var read = await _log.ReadAfterAsync(_workspace, "Ada", 0);
        // Equal instants to the tick; the offset comes back as UTC.
        Assert.Equal(entries, read);
        Assert.All(read, entry => Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), (entry.At.Offset, entry.RecordedAt.Offset)));
        Assert.Equal(entries[1..], await _log.ReadAfterAsync(_workspace, "Ada", 1));
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "Ada", 3));
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "ada", 0));
    }

    [Fact]
    public async Task Times_are_kept_to_the_microsecond()
    {
        await _log.AppendAsync([Entry("a", 1, T0.AddTicks(9))]);

        Assert.Equal(T0, Assert.Single(await _log.ReadAfterAsync(_workspace, "a", 0)).At);
    }

    [Fact]
    public async Task Concurrent_appends_all_complete_durable_in_fewer_transactions_than_callers()
    {
        const int callers = 200;
        const int entriesPerCaller = 5;
        // The reads only: 200 at once would want more connections than the test server has.
        using var readers = new SemaphoreSlim(10);

        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var key = $"customer-{caller}";
            var entries = Enumerable.Range(1, entriesPerCaller).Select(seq => Entry(key, seq, T0.AddSeconds(seq))).ToList();

            await _log.AppendAsync(entries);

            // Committed before the call returned, so readable at once.
            await readers.WaitAsync();
            try
            {
                Assert.Equal(entries, await _log.ReadAfterAsync(_workspace, key, 0));
            }
            finally
            {
                readers.Release();
            }
        })));

        Assert.Equal([$"{callers * entriesPerCaller}"], await test.Database.ReadRowsAsync($"SELECT COUNT(*) FROM waymark_customer_log WHERE workspace = '{_workspace}'"));
        Assert.InRange(_log.Transactions, 1, callers - 1);
    }

    [Fact]
    public async Task A_duplicate_seq_fails_only_its_own_caller_and_writes_none_of_its_entries()
    {
        var original = Entry("dup", 1, T0);
        await _log.AppendAsync([original]);
        var transactionsBefore = _log.Transactions;

        Task first, duplicate, second, repeatedWithin;
        await using (await HoldWriteLockAsync())
        {
            // All queued while the writer waits, so the bad appends share a batch with good ones.
            first = _log.AppendAsync([Entry("first", 1, T0)]);
            duplicate = _log.AppendAsync([Entry("dup", 2, T0), Entry("dup", 1, T0.AddHours(1))]);
            second = _log.AppendAsync([Entry("second", 1, T0), Entry("second", 2, T0)]);
            repeatedWithin = _log.AppendAsync([Entry("twice", 1, T0), Entry("twice", 1, T0)]);
        }

        await Task.WhenAll(first, second);
        var error = await Assert.ThrowsAsync<DuplicateLogEntryException>(() => duplicate);
        Assert.Contains("'dup'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DuplicateLogEntryException>(() => repeatedWithin);
        Assert.Equal([original], await _log.ReadAfterAsync(_workspace, "dup", 0));
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "twice", 0));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "first", 0));
        Assert.Equal(2, (await _log.ReadAfterAsync(_workspace, "second", 0)).Count);
        // One batch while the lock was held and one after, at most: the good appends committed in the bad ones' transaction.
        Assert.InRange(_log.Transactions - transactionsBefore, 1, 2);
    }

    [Fact]
    public async Task A_caller_cancelled_before_the_writer_takes_its_entries_withdraws_them()
    {
        using var cancellation = new CancellationTokenSource();
        Task taken, withdrawn, after;
        await using (await HoldWriteLockAsync())
        {
            taken = _log.AppendAsync([Entry("taken", 1, T0)]);
            await WaitUntilAsync(() => _log.Queued == 0);
            withdrawn = _log.AppendAsync([Entry("withdrawn", 1, T0)], cancellation.Token);
            after = _log.AppendAsync([Entry("after", 1, T0)]);
            await cancellation.CancelAsync();
        }

        await Task.WhenAll(taken, after);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "withdrawn", 0));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "taken", 0));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "after", 0));
    }

    [Fact]
    public async Task A_caller_cancelled_after_the_writer_took_its_entries_learns_they_were_written()
    {
        using var cancellation = new CancellationTokenSource();
        Task append;
        await using (await HoldWriteLockAsync())
        {
            append = _log.AppendAsync([Entry("taken", 1, T0)], cancellation.Token);
            await WaitUntilAsync(() => _log.Queued == 0);
            await cancellation.CancelAsync();
        }

        await append;
        Assert.Single(await _log.ReadAfterAsync(_workspace, "taken", 0));
    }

    [Fact]
    public async Task Malformed_entries_are_refused_before_they_are_queued()
    {
        LogEntry[] malformed =
        [
            Entry("", 1, T0),
            Entry("a", 0, T0),
            Entry(new string('k', LogEntry.MaxCustomerKeyLength + 1), 1, T0),
            Entry("a", 1, T0) with { Kind = "" },
            Entry("a", 1, T0) with { Payload = "{\"x\":\"\0\"}" },
            Entry("a", 1, T0) with { Name = "bad\uD800name" },
        ];

        foreach (var entry in malformed)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => _log.AppendAsync([Entry("a", 1, T0), entry]));
        }

        Assert.Empty(await _log.ReadAfterAsync(_workspace, "a", 0));
        Assert.Equal(0, _log.Transactions);
    }

    [Fact]
    public async Task Dispose_writes_what_is_queued_and_refuses_later_appends()
    {
        var log = new SqlCustomerLog(test.Database);
        var appends = Enumerable.Range(1, 50).Select(seq => log.AppendAsync([Entry("flushed", seq, T0)])).ToList();

        await log.DisposeAsync();

        Assert.All(appends, append => Assert.True(append.IsCompletedSuccessfully));
        Assert.Equal(50, (await _log.ReadAfterAsync(_workspace, "flushed", 0)).Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendAsync([Entry("late", 1, T0)]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(50)]
    public async Task Timeline_pages_over_several_keys_return_every_entry_once_newest_first(int limit)
    {
        // Equal times across keys and within one key, so the order and the cursor rest on key and seq too.
        LogEntry[] entries =
        [
            Entry("a", 1, T0), Entry("a", 2, T0.AddMinutes(1)), Entry("a", 3, T0.AddMinutes(1)), Entry("a", 4, T0.AddMinutes(3)),
            Entry("b", 1, T0.AddMinutes(1)), Entry("b", 2, T0.AddMinutes(2)), Entry("b", 3, T0.AddMinutes(3)),
            Entry("c", 1, T0.AddMinutes(-1)), Entry("c", 2, T0.AddMinutes(1)),
        ];
        await _log.AppendAsync([.. entries, Entry("other", 1, T0.AddMinutes(2)), Entry("a", 1, T0) with { Workspace = $"{_workspace}-other" }]);

        var pages = new List<TimelinePage>();
        TimelineCursor? cursor = null;
        do
        {
            var page = await _log.ReadTimelineAsync(_workspace, ["c", "a", "b"], null, cursor, limit);
            pages.Add(page);
            // Through its text, as a client hands it back.
            cursor = page.Next is null ? null : TimelineCursor.TryParse(page.Next.ToString(), out var parsed) ? parsed : throw new FormatException();
        }
        while (cursor is not null);

        var expected = entries
            .OrderByDescending(e => e.At).ThenBy(e => e.CustomerKey, StringComparer.Ordinal).ThenByDescending(e => e.Seq);
        Assert.Equal(expected, pages.SelectMany(page => page.Items));
        Assert.Equal((entries.Length + limit - 1) / limit, pages.Count);
        Assert.All(pages, page => Assert.InRange(page.Items.Count, 1, limit));
    }

    [Fact]
    public async Task Timeline_keeps_only_the_kinds_asked_for()
    {
        LogEntry[] entries =
        [
            Entry("a", 1, T0), Entry("a", 2, T0.AddMinutes(1), kind: "profile", name: null),
            Entry("b", 1, T0.AddMinutes(2), kind: "merged_from", name: null), Entry("b", 2, T0.AddMinutes(3)),
            Entry("a", 3, T0.AddMinutes(4), kind: "profile", name: null),
        ];
        await _log.AppendAsync(entries);

        var page = await _log.ReadTimelineAsync(_workspace, ["a", "b"], ["profile", "merged_from"], null, 10);

        Assert.Equal([entries[4], entries[2], entries[1]], page.Items);
        Assert.Null(page.Next);
        Assert.Empty((await _log.ReadTimelineAsync(_workspace, ["a", "b"], [], null, 10)).Items);
    }

    [Fact]
    public async Task Window_reads_events_of_the_keys_from_its_start_up_to_its_end_ascending()
    {
        var from = T0;
        var to = T0.AddHours(2);
        var inside = new[]
        {
            Entry("a", 2, from, name: "order_completed"),
            Entry("b", 1, from.AddMinutes(30), name: "page_viewed"),
            Entry("a", 3, from.AddHours(1), name: "page_viewed"),
            Entry("a", 4, to.AddTicks(-10), name: "order_completed"),
        };
        await _log.AppendAsync(
        [
            Entry("a", 1, from.AddTicks(-10), name: "order_completed"),
            .. inside,
            Entry("a", 5, to, name: "order_completed"),
            Entry("a", 6, from.AddMinutes(10), kind: "profile", name: null),
            Entry("other", 1, from.AddMinutes(10), name: "order_completed"),
        ]);
        // The same instants written with another offset.
        var fromInShanghai = from.ToOffset(TimeSpan.FromHours(8));
        var toInShanghai = to.ToOffset(TimeSpan.FromHours(8));

        Assert.Equal(inside, await _log.ReadWindowAsync(_workspace, ["a", "b"], null, fromInShanghai, toInShanghai));
        Assert.Equal([inside[0], inside[3]], await _log.ReadWindowAsync(_workspace, ["a", "b"], "order_completed", from, to));
        Assert.Empty(await _log.ReadWindowAsync(_workspace, ["a", "b"], "order_completed", from.AddTicks(10), to.AddTicks(-10)));
    }

    [Fact]
    public async Task Message_reads_the_message_entries_of_an_id_across_the_keys_of_its_workspace_ascending()
    {
        const string id = "msg-7f3a9c";
        var found = new[]
        {
            Entry("a", 1, T0, kind: LogEntry.MessageKind, name: id),
            Entry("b", 1, T0.AddMinutes(1), kind: LogEntry.MessageKind, name: id),
            // Equal times, so the order rests on key and seq too.
            Entry("a", 3, T0.AddMinutes(2), kind: LogEntry.MessageKind, name: id),
            Entry("b", 2, T0.AddMinutes(2), kind: LogEntry.MessageKind, name: id),
        };
        await _log.AppendAsync(
        [
            found[3], found[2], found[1], found[0],
            Entry("a", 2, T0.AddMinutes(1), kind: LogEntry.MessageKind, name: "msg-other"),
            Entry("a", 4, T0.AddMinutes(3), name: id),
            Entry("c", 1, T0, kind: LogEntry.MessageKind, name: id) with { Workspace = $"{_workspace}-other" },
        ]);

        Assert.Equal(found, await _log.ReadMessageAsync(_workspace, id));
        Assert.Empty(await _log.ReadMessageAsync(_workspace, "msg-unknown"));
    }

    [Fact]
    public async Task Erase_removes_every_entry_of_the_keys_in_that_workspace_only()
    {
        var otherWorkspace = $"{_workspace}-other";
        await _log.AppendAsync(
        [
            Entry("a", 1, T0), Entry("a", 2, T0), Entry("b", 1, T0), Entry("c", 1, T0), Entry("A", 1, T0),
            Entry("a", 1, T0) with { Workspace = otherWorkspace },
        ]);

        await _log.EraseAsync(_workspace, ["a", "b"]);

        Assert.Empty(await _log.ReadAfterAsync(_workspace, "a", 0));
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "b", 0));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "c", 0));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "A", 0));
        Assert.Single(await _log.ReadAfterAsync(otherWorkspace, "a", 0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Registry_lists_every_key_of_the_workspace_once_ascending_in_pages(int limit)
    {
        // Bytewise, case-sensitive order: upper case before lower case, é (U+00E9) after z.
        string[] keys = ["b", "A", "a", "é", "z", "B", "a-1"];
        await _log.AppendAsync([.. keys.Select(key => Entry(key, 1, T0))]);
        // Customers with many entries, written over several appends, are listed once.
        await _log.AppendAsync([.. Enumerable.Range(2, 20).Select(seq => Entry("b", seq, T0.AddSeconds(seq)))]);
        await _log.AppendAsync([Entry("a", 2, T0, kind: "profile", name: null), Entry("z", 2, T0), Entry("z", 3, T0)]);
        await _log.AppendAsync([Entry("c", 1, T0) with { Workspace = $"{_workspace}-other" }]);

        var pages = new List<IReadOnlyList<string>>();
        string? after = null;
        IReadOnlyList<string> page;
        do
        {
            page = await _log.ListCustomersAsync(_workspace, after, limit);
            pages.Add(page);
            after = page.Count > 0 ? page[^1] : after;
        }
        while (page.Count == limit);

        Assert.Equal(keys.Order(StringComparer.Ordinal), pages.SelectMany(p => p));
        Assert.All(pages, p => Assert.InRange(p.Count, 0, limit));
        Assert.Equal(keys.Length, await _log.CountCustomersAsync(_workspace));
        // After a key that is not in it.
        Assert.Equal(["a", "a-1", "b"], await _log.ListCustomersAsync(_workspace, "Z", 3));
        Assert.Empty(await _log.ListCustomersAsync(_workspace, "é", 3));
        Assert.Equal(["c"], await _log.ListCustomersAsync($"{_workspace}-other", null, 10));
        Assert.Empty(await _log.ListCustomersAsync($"{_workspace}-none", null, 10));
        Assert.Equal(0, await _log.CountCustomersAsync($"{_workspace}-none"));
    }

    [Fact]
    public async Task Registry_forgets_erased_keys()
    {
        await _log.AppendAsync([Entry("a", 1, T0), Entry("a", 2, T0), Entry("b", 1, T0), Entry("c", 1, T0)]);

        await _log.EraseAsync(_workspace, ["a", "c"]);

        Assert.Equal(["b"], await _log.ListCustomersAsync(_workspace, null, 10));
        Assert.Equal(1, await _log.CountCustomersAsync(_workspace));
    }

    [Fact]
    public async Task Registry_pages_ask_for_1_to_the_most_keys()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _log.ListCustomersAsync(_workspace, null, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _log.ListCustomersAsync(_workspace, null, SqlCustomerLog.MaxCustomersLimit + 1));
    }

    [Fact]
    public async Task Registry_reads_are_served_by_the_partial_index_of_first_entries()
    {
        await _log.AppendAsync([.. Enumerable.Range(0, 50).SelectMany(i => Enumerable.Range(1, 4).Select(seq => Entry($"c{i}", seq, T0)))]);
        var dialect = CustomerLogDialect.For(test.Database.Provider);

        await using var connection = test.Database.CreateConnection();
        await connection.OpenAsync();
        if (PlanSetupSql is { } setup)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = setup;
            await command.ExecuteNonQueryAsync();
        }

        foreach (var prepare in new Action<DbCommand>[]
        {
            command => dialect.PrepareCustomers(command, _workspace, null, 10),
            command => dialect.PrepareCustomers(command, _workspace, "c1", 10),
            command => dialect.PrepareCountCustomers(command, _workspace),
        })
        {
            await using var command = connection.CreateCommand();
            prepare(command);
            command.CommandText = ExplainPrefix + command.CommandText;
            var plan = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
            }

            Assert.Contains(CustomerLogDialect.CustomersIndex, string.Join('\n', plan), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Timers_commit_with_their_append_in_a_shared_batch_and_those_of_a_failing_append_are_not_written()
    {
        await _log.AppendAsync([Entry("dup", 1, T0)]);
        TimerEntry Timer(string customerKey) => new(0, T0, $"probe/{_workspace}/{customerKey}", "run-1");

        Task good, duplicate;
        await using (await HoldWriteLockAsync())
        {
            // Queued while the writer waits, so both share a batch.
            good = _log.AppendAsync([Entry("good", 1, T0)], [Timer("good")], []);
            duplicate = _log.AppendAsync([Entry("dup", 1, T0)], [Timer("dup")], []);
        }

        await good;
        await Assert.ThrowsAsync<DuplicateLogEntryException>(() => duplicate);
        Assert.Equal(
            [Timer("good").Target],
            await test.Database.ReadRowsAsync($"SELECT target FROM waymark_timers WHERE target LIKE 'probe/{_workspace}/%'"));
    }

    private LogEntry Entry(string customerKey, long seq, DateTimeOffset at, string kind = LogEntry.EventKind, string? name = "page_viewed") =>
        new(_workspace, customerKey, seq, kind, at, at.AddMilliseconds(5), name, $$"""{"customer":"{{customerKey}}","seq":{{seq}}}""");

    private async Task<IAsyncDisposable> HoldWriteLockAsync()
    {
        var connection = test.Database.CreateConnection();
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = HoldWriteLockSql;
        await command.ExecuteNonQueryAsync();
        return new WriteLock(connection, transaction);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private sealed class WriteLock(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

public sealed class TimelineCursorTests
{
    [Fact]
    public void A_cursor_round_trips_through_url_safe_text()
    {
        var cursor = new TimelineCursor(new DateTimeOffset(2025, 3, 9, 22, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_560), "客户/42?a=b&c", 12);

        var text = cursor.ToString();

        Assert.Matches("^[A-Za-z0-9_-]+$", text);
        Assert.True(TimelineCursor.TryParse(text, out var parsed));
        Assert.Equal(cursor, parsed);
        Assert.Equal(TimeSpan.Zero, parsed.At.Offset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a cursor!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("__________________________")]
    public void Text_that_is_not_a_cursor_is_refused(string? text)
    {
        Assert.False(TimelineCursor.TryParse(text, out _));
    }

    [Fact]
    public void An_overlong_text_is_refused()
    {
        var cursor = new TimelineCursor(DateTimeOffset.UnixEpoch, new string('k', 4 * LogEntry.MaxCustomerKeyLength), 1);

        Assert.False(TimelineCursor.TryParse(cursor.ToString(), out _));
    }
}

/// <summary>No SQL Server runs here, so the log's statements are checked by SQL Server 2022's parser and its
/// table-valued parameter rows are built without a server.</summary>
public sealed class SqlServerCustomerLogTests
{
    private static readonly CustomerLogDialect Dialect = CustomerLogDialect.For(StorageProvider.SqlServer);

    public static TheoryData<string> Statements => new()
    {
        SqlServerCustomerLogDialect.InsertSql,
        Prepare(command => Dialect.PrepareReadAfter(command, "w", "a", 3)),
        Prepare(command => Dialect.PrepareTimeline(command, "w", ["a"], null, null, 51)),
        Prepare(command => Dialect.PrepareTimeline(command, "w", ["a", "b", "c"], ["event", "profile"], new TimelineCursor(DateTimeOffset.UnixEpoch, "a", 2), 51)),
        Prepare(command => Dialect.PrepareWindow(command, "w", ["a", "b"], "order_completed", DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow)),
        Prepare(command => Dialect.PrepareMessage(command, "w", "msg-1")),
        Prepare(command => Dialect.PrepareErase(command, "w", ["a", "b"])),
        Prepare(command => Dialect.PrepareCustomers(command, "w", null, 250)),
        Prepare(command => Dialect.PrepareCustomers(command, "w", "a", 250)),
        Prepare(command => Dialect.PrepareCountCustomers(command, "w")),
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_parses_as_SQL_Server_2022_TSql(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);

        Assert.Empty(errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));
    }

    [Fact]
    public void Registry_statements_filter_on_the_literal_seq_the_filtered_index_has_and_count_in_64_bits()
    {
        // A parameter in its place would keep the optimizer from matching the filtered index.
        Assert.Contains("AND seq = 1", Prepare(command => Dialect.PrepareCustomers(command, "w", "a", 250)), StringComparison.Ordinal);
        Assert.Contains("AND seq = 1", Prepare(command => Dialect.PrepareCountCustomers(command, "w")), StringComparison.Ordinal);
        Assert.Contains("COUNT_BIG(*)", Prepare(command => Dialect.PrepareCountCustomers(command, "w")), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_valued_parameter_rows_carry_every_field_with_utc_microseconds()
    {
        var at = new DateTimeOffset(2025, 3, 9, 22, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_567);
        LogEntry[] entries = [new("w", "a", 1, "event", at, at, "order_completed", "{}"), new("w", "a", 2, "profile", at, at, null, "{\"x\":1}")];

        var rows = SqlServerCustomerLogDialect.Records(entries).Select(record =>
            (record.GetString(1), record.GetInt64(2), record.GetDateTime(4), record.IsDBNull(6), record.GetString(7))).ToList();

        var utcMicroseconds = new DateTime(2025, 3, 9, 14, 30, 15, DateTimeKind.Utc).AddTicks(1_234_560);
        Assert.Equal([("a", 1L, utcMicroseconds, false, "{}"), ("a", 2L, utcMicroseconds, true, "{\"x\":1}")], rows);
    }

    private static string Prepare(Action<DbCommand> prepare)
    {
        using var command = new SqlCommand();
        prepare(command);
        return command.CommandText;
    }
}
