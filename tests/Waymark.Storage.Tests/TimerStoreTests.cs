using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Timers;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteTimerStoreTests(SqliteTestDatabase test) : TimerStoreTests<SqliteTestDatabase>(test);

public sealed class PostgresTimerStoreTests(PostgresTestDatabase test) : TimerStoreTests<PostgresTestDatabase>(test);

/// <summary>The timer wheel's table against a real database: written by the customer log's append, read by due
/// time in pages, removed in batches.</summary>
public abstract class TimerStoreTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    // Whole microseconds, which every database stores exactly.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 9, 14, 30, 15, TimeSpan.Zero).AddTicks(1_234_560);

    private static int lastShard;

    // Each test reads a shard of its own, since the tests of a class share one database.
    private readonly int _shard = Interlocked.Increment(ref lastShard);
    private readonly string _workspace = $"ws-{Guid.NewGuid():N}";

    private SqlCustomerLog _log = null!;
    private SqlTimerStore _store = null!;

    public async Task InitializeAsync()
    {
        await SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);
        _log = new SqlCustomerLog(test.Database);
        _store = new SqlTimerStore(test.Database);
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task Timers_appended_with_a_log_entry_read_back_in_due_order_up_to_the_given_time()
    {
        TimerEntry[] timers =
        [
            Timer("b", T0.AddSeconds(3)),
            Timer("b", T0.AddSeconds(1)),
            Timer("a", T0.AddSeconds(1), tag: "y"),
            Timer("a", T0.AddSeconds(1), tag: "x"),
            // The same instant as T0 + 2 s, written in another offset.
            Timer("c", T0.AddSeconds(2).ToOffset(TimeSpan.FromHours(8))),
            Timer("late", T0.AddSeconds(3).AddTicks(10)),
            Timer("a", T0) with { Shard = _shard + 10_000 },
        ];

        await _log.AppendAsync([Entry(1)], timers, []);

        var due = await _store.DueAsync(_shard, T0.AddSeconds(3), 100);
        Assert.Equal([timers[3], timers[2], timers[1], timers[4] with { Due = T0.AddSeconds(2) }, timers[0]], due);
        Assert.All(due, timer => Assert.Equal(TimeSpan.Zero, timer.Due.Offset));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "customer", 0));
        Assert.Empty(await _store.DueAsync(_shard, T0.AddTicks(-10), 100));
    }

    [Fact]
    public async Task Scheduling_the_same_wake_up_twice_stores_it_once_and_counts_each_append_that_named_it_again()
    {
        var wakeUp = Timer("a", T0);

        // Named three times in one append (once in another offset, once with a tick below the microsecond): one row.
        await _log.AppendAsync([Entry(1)], [wakeUp, wakeUp with { Due = T0.ToOffset(TimeSpan.FromHours(-5)) }, wakeUp with { Due = T0.AddTicks(7) }], []);
        Assert.Equal([wakeUp], await _store.DueAsync(_shard, T0, 100));

        // Named again by two later appends, twice in the first of them: one generation more for each append.
        await _log.AppendAsync([Entry(2)], [wakeUp, wakeUp with { Tag = "other" }, wakeUp], []);
        await _log.AppendAsync([], [wakeUp], []);

        Assert.Equal([wakeUp with { Tag = "other" }, wakeUp with { Generation = 2 }], await _store.DueAsync(_shard, T0, 100));
    }

    [Fact]
    public async Task Concurrent_appends_naming_the_same_wake_up_all_succeed_and_store_it_once()
    {
        var wakeUp = Timer("a", T0);

        // Queued together, so the writer takes several of them into one transaction whose batch names the key repeatedly.
        await Task.WhenAll(Enumerable.Range(1, 20).Select(seq => _log.AppendAsync([Entry(seq)], [wakeUp, Timer($"b{seq % 2}", T0)], [])));

        var due = await _store.DueAsync(_shard, T0, 100);
        Assert.Equal([wakeUp, Timer("b0", T0), Timer("b1", T0)], due.Select(timer => timer with { Generation = 0 }));
        Assert.All(due, timer => Assert.InRange(timer.Generation, 0, 19));
        Assert.Equal(20, (await _log.ReadAfterAsync(_workspace, "customer", 0)).Count);
    }

    [Fact]
    public async Task A_wake_up_scheduled_again_after_it_was_read_survives_the_removal_of_what_was_read()
    {
        var wakeUp = Timer("a", T0);
        await _log.AppendAsync([Entry(1)], [wakeUp, Timer("b", T0)], []);
        var first = await _store.DueAsync(_shard, T0, 100);
        Assert.Equal([wakeUp, Timer("b", T0)], first);

        // While its target is being woken, the target schedules the same wake-up again: same shard, due, target and tag.
        await _log.AppendAsync([Entry(2)], [wakeUp], []);
        await _store.RemoveAsync(first);

        // The shard removed what it delivered; the wake-up scheduled since is still there, at the same due, for the next poll.
        var second = Assert.Single(await _store.DueAsync(_shard, T0, 100));
        Assert.Equal(wakeUp with { Generation = 1 }, second);

        // Scheduled again twice more, once by an append of timers alone: what was read before removes nothing.
        await _log.AppendAsync([], [wakeUp], []);
        await _log.AppendAsync([Entry(3)], [wakeUp], []);
        await _store.RemoveAsync([second]);
        await _store.RemoveAsync(first);
        var third = Assert.Single(await _store.DueAsync(_shard, T0, 100));
        Assert.Equal(wakeUp with { Generation = 3 }, third);

        // What the last read returned removes the row, and a later scheduling of the key is a new row.
        await _store.RemoveAsync([third]);
        Assert.Empty(await _store.DueAsync(_shard, T0.AddDays(1), 100));
        await _log.AppendAsync([], [wakeUp], []);
        Assert.Equal([wakeUp], await _store.DueAsync(_shard, T0, 100));
    }

    [Fact]
    public async Task A_removal_racing_an_append_that_schedules_the_key_again_never_loses_the_new_wake_up()
    {
        // Each round: read the row, then schedule its key again and remove what was read at about the same time.
        // Whichever commits first, the row must be there afterwards, with the generation the removal named only if
        // the removal came first and the key was inserted anew.
        for (var round = 0; round < 20; round++)
        {
            var wakeUp = Timer("a", T0, tag: $"round-{round}");
            await _log.AppendAsync([], [wakeUp], []);
            var read = Assert.Single(await _store.DueAsync(_shard, T0, 100), timer => timer.Tag == wakeUp.Tag);

            // The removal starts 0 to 9 ms after the append, so that either may win.
            var append = _log.AppendAsync([Entry(round + 1)], [wakeUp], []);
            await Task.Delay(round % 10);
            await Task.WhenAll(append, _store.RemoveAsync([read]));

            var left = Assert.Single(await _store.DueAsync(_shard, T0, 100), timer => timer.Tag == wakeUp.Tag);
            Assert.Equal(read with { Generation = left.Generation }, left);
            Assert.InRange(left.Generation, 0, 1);
            if (left.Generation == 0)
            {
                // The removal committed first and deleted the row; the append then inserted the key anew.
                continue;
            }

            await _store.RemoveAsync([left]);
            Assert.DoesNotContain(await _store.DueAsync(_shard, T0, 100), timer => timer.Tag == wakeUp.Tag);
        }
    }

    [Fact]
    public async Task An_append_that_fails_writes_none_of_its_timers()
    {
        await _log.AppendAsync([Entry(1)]);

        await Assert.ThrowsAsync<DuplicateLogEntryException>(() => _log.AppendAsync([Entry(2), Entry(1)], [Timer("a", T0)], []));

        Assert.Empty(await _store.DueAsync(_shard, T0.AddDays(1), 100));
        Assert.Single(await _log.ReadAfterAsync(_workspace, "customer", 0));
    }

    [Fact]
    public async Task Remove_deletes_exactly_the_given_wake_ups()
    {
        var timers = Enumerable.Range(0, 5).Select(i => Timer($"t{i}", T0.AddSeconds(i))).ToArray();
        await _log.AppendAsync([], timers, []);

        await _store.RemoveAsync([timers[1], timers[3], Timer("never-scheduled", T0), timers[3] with { Tag = "other" }, timers[2] with { Generation = 1 }]);
        await _store.RemoveAsync([timers[1]]);
        await _store.RemoveAsync([]);

        Assert.Equal([timers[0], timers[2], timers[4]], await _store.DueAsync(_shard, T0.AddDays(1), 100));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(50)]
    public async Task Pages_after_the_last_wake_up_read_return_every_due_wake_up_once_in_order(int limit)
    {
        // Ties on due, and on due and target, so the cursor rests on target and tag too.
        TimerEntry[] timers =
        [
            Timer("b", T0), Timer("a", T0, tag: "2"), Timer("a", T0, tag: "1"), Timer("a", T0.AddSeconds(1)),
            Timer("c", T0.AddSeconds(1)), Timer("b", T0.AddSeconds(2), tag: "z"), Timer("b", T0.AddSeconds(2), tag: "y"),
            Timer("a", T0.AddSeconds(3)), Timer("d", T0.AddSeconds(4)),
        ];
        await _log.AppendAsync([], timers, []);

        var pages = new List<IReadOnlyList<TimerEntry>>();
        TimerEntry? after = null;
        do
        {
            var page = await _store.DueAsync(_shard, T0.AddSeconds(3), limit, after);
            pages.Add(page);
            after = page.Count == limit ? page[^1] : null;
        }
        while (after is not null);

        var expected = timers.Where(t => t.Due <= T0.AddSeconds(3))
            .OrderBy(t => t.Due).ThenBy(t => t.Target, StringComparer.Ordinal).ThenBy(t => t.Tag, StringComparer.Ordinal);
        Assert.Equal(expected, pages.SelectMany(page => page));
        Assert.All(pages, page => Assert.InRange(page.Count, 0, limit));
    }

    [Fact]
    public async Task Due_is_kept_to_the_microsecond_and_what_was_read_removes_the_row()
    {
        await _log.AppendAsync([], [Timer("a", T0.AddTicks(9))], []);

        var read = Assert.Single(await _store.DueAsync(_shard, T0, 100));
        Assert.Equal(T0, read.Due);
        await _store.RemoveAsync([read]);
        Assert.Empty(await _store.DueAsync(_shard, T0.AddDays(1), 100));
    }

    [Fact]
    public async Task Malformed_timers_are_refused_before_anything_is_queued()
    {
        var good = Timer("a", T0);
        TimerEntry[] malformed =
        [
            good with { Shard = -1 },
            good with { Shard = TimerEntry.MaxShard + 1 },
            good with { Target = "" },
            good with { Target = new string('t', TimerEntry.MaxTargetLength + 1) },
            good with { Tag = new string('g', TimerEntry.MaxTagLength + 1) },
            good with { Tag = "bad\0tag" },
            good with { Target = "bad\uDC00target" },
            null!,
        ];

        foreach (var timer in malformed)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => _log.AppendAsync([Entry(1)], [good, timer], []));
            Assert.StartsWith("Timer 1:", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await _store.DueAsync(_shard, T0.AddDays(1), 100));
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "customer", 0));
        Assert.Equal(0, _log.Transactions);
    }

    private TimerEntry Timer(string target, DateTimeOffset due, string tag = "run-1") => new(_shard, due, $"probe/{_workspace}/{target}", tag);

    private LogEntry Entry(long seq) => new(_workspace, "customer", seq, "event", T0, T0, "page_viewed", "{}");
}

public sealed class TimerDialectTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 9, 14, 30, 15, TimeSpan.Zero);

    [Fact]
    public void A_batch_without_repeated_keys_is_kept_as_it_is()
    {
        TimerEntry[] timers = [new(1, T0, "probe/a", "x"), new(1, T0, "probe/a", "X"), new(2, T0, "probe/a", "x"), new(1, T0.AddTicks(10), "probe/a", "x")];

        Assert.Same(timers, TimerDialect.Distinct(timers));
    }

    [Fact]
    public void A_key_repeated_in_a_batch_is_kept_once_as_the_database_compares_it()
    {
        var a = new TimerEntry(1, T0, "probe/a", "x");
        var b = new TimerEntry(1, T0, "probe/b", "x");

        // The same instant in another offset, or a tick below the microsecond, is the key the database stores.
        TimerEntry[] timers = [a, b, a with { Due = T0.ToOffset(TimeSpan.FromHours(3)) }, a with { Due = T0.AddTicks(9) }, b, a with { Tag = "y" }];

        Assert.Equal([a, b, a with { Tag = "y" }], TimerDialect.Distinct(timers));
    }
}

public sealed class TimerShardsTests
{
    [Theory]
    [InlineData("customer/default/u:42", 8, 0)]
    [InlineData("customer/default/a:3f1c-9a", 8, 3)]
    [InlineData("customer/客户/u:ünïcode", 8, 5)]
    [InlineData("customer/default/u:42", 1, 0)]
    [InlineData("customer/default/u:42", 1000, 712)]
    public void A_target_keeps_its_shard_in_every_process_and_version(string target, int shardCount, int shard)
    {
        // Pinned: a change to the hash would put new wake-ups of a target in another shard than its old ones.
        Assert.Equal(shard, TimerShards.Of(target, shardCount));
    }

    [Fact]
    public void Targets_spread_evenly_over_the_shards()
    {
        const int shardCount = 8;
        const int targets = 80_000;
        var counts = new int[shardCount];
        for (var i = 0; i < targets; i++)
        {
            counts[TimerShards.Of($"customer/default/u:{i}", shardCount)]++;
        }

        Assert.All(counts, count => Assert.InRange(count, targets / shardCount * 0.95, targets / shardCount * 1.05));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(TimerEntry.MaxShard + 2)]
    public void A_shard_count_the_table_cannot_hold_is_refused(int shardCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimerShards.Of("customer/default/u:42", shardCount));
    }
}

/// <summary>No SQL Server runs here, so the timer statements are checked by SQL Server 2022's parser and the
/// table-valued parameter rows are built without a server.</summary>
public sealed class SqlServerTimerTests
{
    private static readonly TimerDialect Dialect = TimerDialect.For(StorageProvider.SqlServer);

    public static TheoryData<string> Statements => new()
    {
        SqlServerTimerDialect.InsertSql,
        SqlServerTimerDialect.DeleteSql,
        Prepare(command => Dialect.PrepareDue(command, 3, DateTimeOffset.UtcNow, null, 500)),
        Prepare(command => Dialect.PrepareDue(command, 3, DateTimeOffset.UtcNow, new TimerEntry(3, DateTimeOffset.UnixEpoch, "probe/a", "t"), 500)),
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_parses_as_SQL_Server_2022_TSql(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);

        Assert.Empty(errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));
    }

    [Fact]
    public void Table_valued_parameter_rows_carry_every_field_with_utc_microseconds()
    {
        var due = new DateTimeOffset(2025, 3, 9, 22, 30, 15, TimeSpan.FromHours(8)).AddTicks(1_234_567);

        var rows = SqlServerTimerDialect.Records([new TimerEntry(7, due, "probe/a", "run-1")])
            .Select(record => (record.GetInt16(0), record.GetDateTime(1), record.GetString(2), record.GetString(3))).ToList();

        var utcMicroseconds = new DateTime(2025, 3, 9, 14, 30, 15, DateTimeKind.Utc).AddTicks(1_234_560);
        Assert.Equal([((short)7, utcMicroseconds, "probe/a", "run-1")], rows);
    }

    [Fact]
    public void Table_valued_parameter_rows_of_a_removal_carry_the_generation_read()
    {
        var due = new DateTimeOffset(2025, 3, 9, 14, 30, 15, TimeSpan.Zero);

        var rows = SqlServerTimerDialect.Records([new TimerEntry(7, due, "probe/a", "run-1") { Generation = 5_000_000_000 }], withGeneration: true)
            .Select(record => (record.FieldCount, record.GetInt16(0), record.GetDateTime(1), record.GetString(2), record.GetString(3), record.GetInt64(4)))
            .ToList();

        Assert.Equal([(5, (short)7, due.UtcDateTime, "probe/a", "run-1", 5_000_000_000L)], rows);
        Assert.Equal(4, SqlServerTimerDialect.Records([new TimerEntry(7, due, "probe/a", "run-1")]).Single().FieldCount);
    }

    private static string Prepare(Action<DbCommand> prepare)
    {
        using var command = new SqlCommand();
        prepare(command);
        return command.CommandText;
    }
}
