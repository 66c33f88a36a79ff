using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Waymark.Storage.Counts;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteCountStoreTests(SqliteTestDatabase test) : CountStoreTests<SqliteTestDatabase>(test)
{
    // Any write takes SQLite's single write lock until the transaction ends.
    protected override string HoldWriteLockSql => "DELETE FROM waymark_customer_log WHERE workspace = ''";
}

public sealed class PostgresCountStoreTests(PostgresTestDatabase test) : CountStoreTests<PostgresTestDatabase>(test)
{
    // SHARE lets readers in and keeps every insert, COPY included, waiting.
    protected override string HoldWriteLockSql => "LOCK TABLE waymark_customer_log IN SHARE MODE";
}

/// <summary>Journey statistics against a real database: changes written by the customer log's append, moved into
/// the totals by flushes exactly once, and read back by journey, version and hour.</summary>
public abstract class CountStoreTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    // An hour start, and a time inside that hour with whole microseconds.
    private static readonly DateTimeOffset Hour0 = new(2025, 3, 9, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T0 = Hour0.AddMinutes(30).AddTicks(1_234_560);

    private readonly string _workspace = $"ws-{Guid.NewGuid():N}";

    private SqlCustomerLog _log = null!;
    private SqlCountStore _store = null!;

    /// <summary>Run in a transaction of another connection, it keeps the log's writer waiting until that transaction ends.</summary>
    protected abstract string HoldWriteLockSql { get; }

    public async Task InitializeAsync()
    {
        await SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);
        _log = new SqlCustomerLog(test.Database);
        _store = new SqlCountStore(test.Database);
        // The tests of a class share one database; a test starts with nothing pending.
        while (await _store.FlushAsync(10_000) > 0)
        {
        }
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task Changes_appended_with_log_entries_reach_the_totals_after_a_flush_summed_per_hour()
    {
        await _log.AppendAsync(
            [Entry("a", 1)],
            [],
            [
                Count("node/start/entered", 1, T0),
                Count("node/start/entered", 1, Hour0),
                Count("node/start/entered", 1, Hour0.AddHours(1).AddTicks(-10)),
                Count("node/start/entered", 1, Hour0.AddHours(1)),
                // The same instant as T0, written in another offset.
                Count("node/wait/waiting", 1, T0.ToOffset(TimeSpan.FromHours(8))),
            ]);
        await _log.AppendAsync([Entry("b", 1)], [], [Count("node/start/entered", 1, T0), Count("node/wait/waiting", -1, T0.AddMinutes(5))]);
        await _log.AppendAsync([Entry("c", 1)], [], [Count("node/start/entered", 5, T0) with { Version = 2 }]);

        Assert.Empty(await _store.ReadAsync(_workspace, "welcome", null, null, null));
        Assert.Equal(6, await _store.FlushAsync(100));

        var totals = await _store.ReadAsync(_workspace, "welcome", null, null, null);
        Assert.Equal(
        [
            new CountTotal(1, Hour0, "node/start/entered", 4),
            new CountTotal(1, Hour0, "node/wait/waiting", 0),
            new CountTotal(1, Hour0.AddHours(1), "node/start/entered", 1),
            new CountTotal(2, Hour0, "node/start/entered", 5),
        ],
            totals);
        Assert.All(totals, total => Assert.Equal(TimeSpan.Zero, total.Bucket.Offset));
        Assert.Equal(0, await _store.FlushAsync(100));
        Assert.Equal(totals, await _store.ReadAsync(_workspace, "welcome", null, null, null));
    }

    [Fact]
    public async Task A_flush_adds_to_the_totals_of_earlier_flushes()
    {
        await _log.AppendAsync([Entry("a", 1)], [], [Count("node/start/entered", 2, T0)]);
        await _store.FlushAsync(100);
        await _log.AppendAsync([Entry("b", 1)], [], [Count("node/start/entered", 3, T0.AddMinutes(1))]);
        await _store.FlushAsync(100);

        Assert.Equal([new CountTotal(1, Hour0, "node/start/entered", 5)], await _store.ReadAsync(_workspace, "welcome", 1, null, null));
    }

    [Fact]
    public async Task Changes_of_one_counter_and_hour_in_one_batch_take_one_pending_row()
    {
        var appends = await InOneBatchAsync(
        [
            .. Enumerable.Range(0, 10).Select(i => (Func<Task>)(() => _log.AppendAsync(
                [Entry($"c{i}", 1)], [], [Count("node/start/entered", 1, T0.AddSeconds(i)), Count("node/start/entered", 1, T0)]))),
        ]);

        await Task.WhenAll(appends);

        Assert.Equal(["1"], await PendingRowsAsync());
        Assert.Equal(1, await _store.FlushAsync(100));
        Assert.Equal([new CountTotal(1, Hour0, "node/start/entered", 20)], await _store.ReadAsync(_workspace, "welcome", null, null, null));
    }

    [Fact]
    public async Task An_append_that_fails_writes_none_of_its_changes_and_others_in_its_batch_write_theirs()
    {
        await _log.AppendAsync([Entry("dup", 1)]);

        // In one batch, which fails whole and is written again caller by caller, each under a savepoint.
        var batch = await InOneBatchAsync(
            () => _log.AppendAsync([Entry("good", 1)], [], [Count("good", 1, T0)]),
            () => _log.AppendAsync([Entry("dup", 1)], [], [Count("dup", 1, T0), Count("good", 100, T0)]));

        await batch[0];
        await Assert.ThrowsAsync<DuplicateLogEntryException>(() => batch[1]);
        await Assert.ThrowsAsync<DuplicateLogEntryException>(() => _log.AppendAsync([Entry("dup", 2), Entry("dup", 1)], [], [Count("dup", 1, T0)]));

        Assert.Equal(1, await _store.FlushAsync(100));
        Assert.Equal([new CountTotal(1, Hour0, "good", 1)], await _store.ReadAsync(_workspace, "welcome", null, null, null));
    }

    [Fact]
    public async Task Malformed_changes_are_refused_before_anything_is_queued()
    {
        var good = Count("node/start/entered", 1, T0);
        CountDelta[] malformed =
        [
            good with { Version = 0 },
            good with { Workspace = "" },
            good with { Workspace = new string('w', LogEntry.MaxWorkspaceLength + 1) },
            good with { JourneyId = new string('j', CountDelta.MaxJourneyIdLength + 1) },
            good with { Counter = "" },
            good with { Counter = new string('c', CountDelta.MaxCounterLength + 1) },
            good with { Counter = "node/\0/entered" },
            good with { JourneyId = "bad\uD800id" },
            null!,
        ];

        foreach (var count in malformed)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => _log.AppendAsync([Entry("a", 1)], [], [good, count]));
            Assert.StartsWith("Count 1:", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, _log.Transactions);
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "a", 0));
        Assert.Equal(["0"], await PendingRowsAsync());
    }

    [Fact]
    public async Task A_flush_moves_at_most_the_rows_asked_for_and_a_loop_drains_the_backlog()
    {
        for (var i = 0; i < 25; i++)
        {
            await _log.AppendAsync([Entry($"c{i}", 1)], [], [Count($"node/n{i}/entered", i, T0)]);
        }

        var moved = new List<int>();
        int flushed;
        do
        {
            flushed = await _store.FlushAsync(10);
            moved.Add(flushed);
        }
        while (flushed == 10);

        Assert.Equal([10, 10, 5], moved);
        var totals = await _store.ReadAsync(_workspace, "welcome", null, null, null);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => ($"node/n{i}/entered", (long)i)).Order(), totals.Select(t => (t.Counter, t.Value)).Order());
    }

    [Fact]
    public async Task Concurrent_flushes_during_concurrent_appends_count_every_change_exactly_once()
    {
        const int appends = 2_000;
        const int flushers = 4;
        using var appending = new CancellationTokenSource();
        var moved = new long[flushers];

        // Each flusher is its own store, as on separate silos, taking small batches so their transactions overlap.
        var flushing = Enumerable.Range(0, flushers).Select(f => Task.Run(async () =>
        {
            var store = new SqlCountStore(test.Database);
            while (!appending.IsCancellationRequested)
            {
                moved[f] += await store.FlushAsync(7 + f);
                // As a flusher between drains; on SQLite it also leaves the write lock to the log's writer now and then.
                await Task.Delay(1);
            }
        })).ToList();

        var expected = new Dictionary<(int Version, DateTimeOffset Bucket, string Counter), long>();
        var batches = new List<CountDelta[]>();
        for (var i = 0; i < appends; i++)
        {
            CountDelta[] counts =
            [
                Count($"node/n{i % 5}/entered", 1 + (i % 3), T0.AddMinutes(i % 90)) with { Version = 1 + (i % 2) },
                Count("node/start/entered", 1, Hour0.AddHours(i % 4)),
            ];
            batches.Add(counts);
            foreach (var count in counts)
            {
                var key = (count.Version, CountDelta.BucketOf(count.At), count.Counter);
                expected[key] = expected.GetValueOrDefault(key) + count.Delta;
            }
        }

        await Parallel.ForEachAsync(
            Enumerable.Range(0, appends),
            new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, cancellationToken) => await _log.AppendAsync([Entry($"c{i}", 1)], [], batches[i], cancellationToken));
        await appending.CancelAsync();
        await Task.WhenAll(flushing);
        while (await _store.FlushAsync(10_000) == 10_000)
        {
        }

        var totals = await _store.ReadAsync(_workspace, "welcome", null, null, null);
        var byKey = expected.OrderBy(e => e.Key.Version).ThenBy(e => e.Key.Bucket).ThenBy(e => e.Key.Counter, StringComparer.Ordinal);
        Assert.Equal(byKey.Select(e => new CountTotal(e.Key.Version, e.Key.Bucket, e.Key.Counter, e.Value)), totals);
        Assert.Equal(["0"], await PendingRowsAsync());
        // The flushers did move rows while the appends ran, not only the final drain.
        Assert.True(moved.Sum() > 0);
    }

    [Fact]
    public async Task Read_keeps_the_version_and_the_hours_asked_for_of_that_journey_only()
    {
        await _log.AppendAsync(
            [Entry("a", 1)],
            [],
            [
                Count("entered", 1, Hour0.AddHours(-1)),
                Count("entered", 2, Hour0),
                Count("exited", 3, Hour0.AddMinutes(59)),
                Count("entered", 4, Hour0.AddHours(1)),
                Count("entered", 5, Hour0.AddHours(2)),
                Count("entered", 6, Hour0) with { Version = 2 },
                Count("entered", 7, Hour0) with { JourneyId = "other" },
                Count("entered", 8, Hour0) with { Workspace = $"{_workspace}-other" },
            ]);
        await _store.FlushAsync(100);

        Assert.Equal(
            [
                new CountTotal(1, Hour0.AddHours(-1), "entered", 1), new CountTotal(1, Hour0, "entered", 2), new CountTotal(1, Hour0, "exited", 3),
                new CountTotal(1, Hour0.AddHours(1), "entered", 4), new CountTotal(1, Hour0.AddHours(2), "entered", 5),
                new CountTotal(2, Hour0, "entered", 6),
            ],
            await _store.ReadAsync(_workspace, "welcome", null, null, null));
        Assert.Equal([new CountTotal(2, Hour0, "entered", 6)], await _store.ReadAsync(_workspace, "welcome", 2, null, null));
        // [from, to) over hour starts, whatever the offset the bounds are written in.
        Assert.Equal(
            [new CountTotal(1, Hour0, "entered", 2), new CountTotal(1, Hour0, "exited", 3), new CountTotal(1, Hour0.AddHours(1), "entered", 4)],
            await _store.ReadAsync(_workspace, "welcome", 1, Hour0.ToOffset(TimeSpan.FromHours(-5)), Hour0.AddHours(2)));
        Assert.Equal(
            [new CountTotal(1, Hour0.AddHours(1), "entered", 4), new CountTotal(1, Hour0.AddHours(2), "entered", 5)],
            await _store.ReadAsync(_workspace, "welcome", 1, Hour0.AddTicks(10), null));
        Assert.Equal([new CountTotal(1, Hour0.AddHours(-1), "entered", 1)], await _store.ReadAsync(_workspace, "welcome", 1, null, Hour0));
        Assert.Empty(await _store.ReadAsync(_workspace, "welcome", 3, null, null));
        Assert.Empty(await _store.ReadAsync(_workspace, "Welcome", null, null, null));
    }

    private CountDelta Count(string counter, long delta, DateTimeOffset at) => new(_workspace, "welcome", 1, counter, delta, at);

    private LogEntry Entry(string customerKey, long seq) => new(_workspace, customerKey, seq, LogEntry.EventKind, T0, T0, "page_viewed", "{}");

    private Task<List<string>> PendingRowsAsync() =>
        test.Database.ReadRowsAsync($"SELECT COUNT(*) FROM waymark_count_deltas WHERE workspace = '{_workspace}'");

    /// <summary>Starts the appends while the log's writer waits on a lock with an append it took first, so that they
    /// queue up and the writer takes them all in its next batch.</summary>
    private async Task<Task[]> InOneBatchAsync(params Func<Task>[] appends)
    {
        Task first;
        Task[] queued;
        await using (await HoldWriteLockAsync())
        {
            first = _log.AppendAsync([Entry("first", 1)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (_log.Queued > 0)
            {
                await Task.Delay(10, timeout.Token);
            }

            queued = [.. appends.Select(append => append())];
        }

        await first;
        return queued;
    }

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

public sealed class CountDeltaTests
{
    [Theory]
    [InlineData("2025-03-09T14:00:00+00:00", "2025-03-09T14:00:00+00:00")]
    [InlineData("2025-03-09T14:59:59.9999999+00:00", "2025-03-09T14:00:00+00:00")]
    [InlineData("2025-03-09T22:30:00+08:00", "2025-03-09T14:00:00+00:00")]
    // A half-hour zone: the bucket is the UTC hour, not the local one.
    [InlineData("2025-03-09T20:15:00+05:30", "2025-03-09T14:00:00+00:00")]
    [InlineData("1969-12-31T23:30:00+00:00", "1969-12-31T23:00:00+00:00")]
    public void A_change_counts_in_the_UTC_hour_it_happened_in(string at, string bucket)
    {
        var result = CountDelta.BucketOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(bucket, System.Globalization.CultureInfo.InvariantCulture), result);
        Assert.Equal(TimeSpan.Zero, result.Offset);
    }
}

/// <summary>No SQL Server runs here, so the statistics' statements are checked by SQL Server 2022's parser and the
/// table-valued parameter rows are built without a server.</summary>
public sealed class SqlServerCountTests
{
    private static readonly CountDialect Dialect = CountDialect.For(StorageProvider.SqlServer);

    public static TheoryData<string> Statements => new()
    {
        SqlServerCountDialect.InsertSql,
        SqlServerCountDialect.FlushSql,
        Prepare(command => Dialect.PrepareRead(command, "w", "j", null, null, null)),
        Prepare(command => Dialect.PrepareRead(command, "w", "j", 2, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow)),
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_parses_as_SQL_Server_2022_TSql(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);

        Assert.Empty(errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));
    }

    [Fact]
    public void Table_valued_parameter_rows_carry_every_field_with_the_UTC_hour()
    {
        var at = new DateTimeOffset(2025, 3, 9, 22, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_567);

        var rows = SqlServerCountDialect.Records([new CountDelta("w", "j", 3, "node/a/entered", -2, at)])
            .Select(record => (record.GetString(0), record.GetString(1), record.GetInt32(2), record.GetDateTime(3), record.GetString(4), record.GetInt64(5)))
            .ToList();

        Assert.Equal([("w", "j", 3, new DateTime(2025, 3, 9, 14, 0, 0, DateTimeKind.Utc), "node/a/entered", -2L)], rows);
    }

    private static string Prepare(Action<DbCommand> prepare)
    {
        using var command = new SqlCommand();
        prepare(command);
        return command.CommandText;
    }
}
