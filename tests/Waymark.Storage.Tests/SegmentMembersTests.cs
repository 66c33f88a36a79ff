using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Segments;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteSegmentMembersTests(SqliteTestDatabase test) : SegmentMembersTests<SqliteTestDatabase>(test)
{
    // Any write takes SQLite's single write lock until the transaction ends.
    protected override string HoldWriteLockSql => "DELETE FROM waymark_customer_log WHERE workspace = ''";
}

public sealed class PostgresSegmentMembersTests(PostgresTestDatabase test) : SegmentMembersTests<PostgresTestDatabase>(test)
{
    // SHARE lets readers in and keeps every insert, COPY included, waiting.
    protected override string HoldWriteLockSql => "LOCK TABLE waymark_customer_log IN SHARE MODE";
}

/// <summary>Segment membership against a real database: changes written by the customer log's append, in its
/// transaction, and read, counted and deleted through <see cref="SqlSegmentMembers"/>.</summary>
public abstract class SegmentMembersTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 9, 14, 30, 15, TimeSpan.Zero).AddTicks(1_234_560);

    private readonly string _workspace = $"ws-{Guid.NewGuid():N}";

    private SqlCustomerLog _log = null!;
    private SqlSegmentMembers _members = null!;

    /// <summary>Run in a transaction of another connection, it keeps the log's writer waiting until that transaction ends.</summary>
    protected abstract string HoldWriteLockSql { get; }

    public async Task InitializeAsync()
    {
        await SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);
        _log = new SqlCustomerLog(test.Database);
        _members = new SqlSegmentMembers(test.Database);
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task A_key_put_in_a_segment_is_a_member_once_however_often_it_is_put_in()
    {
        await _log.AppendAsync([Entry("a", 1)], [], [], [In("vip", "a")]);
        await _log.AppendAsync([Entry("a", 2)], [], [], [In("vip", "a"), In("vip", "a")]);
        // A change alone, with no entry.
        await _log.AppendAsync([], [], [], [In("vip", "a")]);

        Assert.Equal(["a"], await _members.PageAsync(_workspace, "vip", null, 10));
        Assert.Equal(1, await _members.CountAsync(_workspace, "vip"));
    }

    [Fact]
    public async Task A_key_taken_out_is_no_longer_a_member_and_taking_out_a_non_member_changes_nothing()
    {
        await _log.AppendAsync([Entry("a", 1), Entry("b", 1)], [], [], [In("vip", "a"), In("vip", "b"), In("churned", "a")]);

        await _log.AppendAsync([Entry("a", 2)], [], [], [Out("vip", "a"), Out("vip", "never"), Out("unknown-segment", "a")]);
        await _log.AppendAsync([Entry("a", 3)], [], [], [Out("vip", "a")]);

        Assert.Equal(["b"], await _members.PageAsync(_workspace, "vip", null, 10));
        Assert.Equal(["a"], await _members.PageAsync(_workspace, "churned", null, 10));
    }

    [Fact]
    public async Task Of_several_changes_of_one_key_in_one_append_the_last_wins()
    {
        await _log.AppendAsync([Entry("b", 1)], [], [], [In("vip", "b")]);

        await _log.AppendAsync(
            [Entry("a", 1), Entry("b", 2)],
            [],
            [],
            [In("vip", "a"), Out("vip", "a"), In("vip", "a"), Out("vip", "b"), In("vip", "b"), Out("vip", "b"), In("vip", "c"), Out("vip", "c")]);

        Assert.Equal(["a"], await _members.PageAsync(_workspace, "vip", null, 10));
    }

    [Fact]
    public async Task Of_changes_of_one_key_by_appends_sharing_a_transaction_the_later_append_wins()
    {
        await _log.AppendAsync([Entry("out-then-in", 1)], [], [], [In("vip", "out-then-in")]);
        var transactionsBefore = _log.Transactions;

        var batch = await InOneBatchAsync(
            () => _log.AppendAsync([], [], [], [In("vip", "in-then-out"), Out("vip", "out-then-in")]),
            () => _log.AppendAsync([], [], [], [Out("vip", "in-then-out"), In("vip", "out-then-in")]));
        await Task.WhenAll(batch);

        Assert.Equal(["out-then-in"], await _members.PageAsync(_workspace, "vip", null, 10));
        // The held append's transaction, and one for both of these.
        Assert.Equal(2, _log.Transactions - transactionsBefore);
    }

    [Fact]
    public async Task An_append_that_fails_writes_none_of_its_memberships_and_others_in_its_batch_write_theirs()
    {
        await _log.AppendAsync([Entry("dup", 1)], [], [], [In("vip", "dup")]);

        // In one batch, which fails whole and is written again caller by caller, each under a savepoint.
        var batch = await InOneBatchAsync(
            () => _log.AppendAsync([Entry("good", 1)], [], [], [In("vip", "good")]),
            () => _log.AppendAsync([Entry("dup", 1)], [], [], [Out("vip", "dup"), In("vip", "dup-new"), In("other", "dup")]));
        await batch[0];
        await Assert.ThrowsAsync<DuplicateLogEntryException>(() => batch[1]);
        // Alone.
        await Assert.ThrowsAsync<DuplicateLogEntryException>(() =>
            _log.AppendAsync([Entry("dup", 2), Entry("dup", 1)], [], [], [Out("vip", "dup"), In("vip", "dup-alone")]));

        Assert.Equal(["dup", "good"], await _members.PageAsync(_workspace, "vip", null, 10));
        Assert.Equal(0, await _members.CountAsync(_workspace, "other"));
    }

    [Fact]
    public async Task Malformed_changes_are_refused_before_anything_is_queued()
    {
        var good = In("vip", "a");
        MembershipChange[] malformed =
        [
            good with { Workspace = "" },
            good with { Workspace = new string('w', LogEntry.MaxWorkspaceLength + 1) },
            good with { Segment = "" },
            good with { Segment = new string('s', MembershipChange.MaxSegmentLength + 1) },
            good with { Segment = "vip\0" },
            good with { CustomerKey = "" },
            good with { CustomerKey = new string('k', LogEntry.MaxCustomerKeyLength + 1) },
            good with { CustomerKey = "bad\uDC00key" },
            null!,
        ];

        foreach (var change in malformed)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => _log.AppendAsync([Entry("a", 1)], [], [], [good, change]));
            Assert.StartsWith("Membership 1:", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, _log.Transactions);
        Assert.Empty(await _log.ReadAfterAsync(_workspace, "a", 0));
        Assert.Equal(0, await _members.CountAsync(_workspace, "vip"));
        // The longest fields fit.
        var longest = new MembershipChange(
            new string('w', LogEntry.MaxWorkspaceLength), new string('s', MembershipChange.MaxSegmentLength), new string('k', LogEntry.MaxCustomerKeyLength), true);
        await _log.AppendAsync([], [], [], [longest]);
        Assert.Equal([longest.CustomerKey], await _members.PageAsync(longest.Workspace, longest.Segment, null, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Pages_list_a_segments_keys_once_ascending_after_the_key_given(int limit)
    {
        // Bytewise, case-sensitive order: upper case before lower case, é (U+00E9) after z.
        string[] keys = ["b", "A", "a", "é", "z", "B", "a-1"];
        await _log.AppendAsync([], [], [], [.. keys.Select(key => In("vip", key))]);
        await _log.AppendAsync([], [], [], [In("other", "c"), In("vip", "c") with { Workspace = $"{_workspace}-other" }]);

        var pages = new List<IReadOnlyList<string>>();
        string? after = null;
        IReadOnlyList<string> page;
        do
        {
            page = await _members.PageAsync(_workspace, "vip", after, limit);
            pages.Add(page);
            after = page.Count > 0 ? page[^1] : after;
        }
        while (page.Count == limit);

        Assert.Equal(keys.Order(StringComparer.Ordinal), pages.SelectMany(p => p));
        Assert.All(pages, p => Assert.InRange(p.Count, 0, limit));
        Assert.Equal(keys.Length, await _members.CountAsync(_workspace, "vip"));
        // After a key that is not a member.
        Assert.Equal(["a", "a-1", "b"], await _members.PageAsync(_workspace, "vip", "Z", 3));
        Assert.Empty(await _members.PageAsync(_workspace, "vip", "é", 3));
        Assert.Empty(await _members.PageAsync(_workspace, "VIP", null, 3));
        Assert.Equal(0, await _members.CountAsync(_workspace, "none"));
    }

    [Fact]
    public async Task A_page_asks_for_1_to_the_most_keys()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _members.PageAsync(_workspace, "vip", null, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _members.PageAsync(_workspace, "vip", null, SqlSegmentMembers.MaxPageLimit + 1));
    }

    [Fact]
    public async Task Deleting_a_segment_deletes_all_of_its_rows_and_no_others()
    {
        // More than one deletion's batch.
        var many = Enumerable.Range(0, SqlSegmentMembers.DeleteBatch + 1).Select(i => In("doomed", $"c{i:D6}")).ToList();
        await _log.AppendAsync([], [], [], many);
        await _log.AppendAsync([], [], [], [In("kept", "c000001"), In("doomed", "c000001") with { Workspace = $"{_workspace}-other" }]);
        Assert.Equal(many.Count, await _members.CountAsync(_workspace, "doomed"));

        await _members.DeleteSegmentAsync(_workspace, "doomed");

        Assert.Equal(0, await _members.CountAsync(_workspace, "doomed"));
        Assert.Empty(await _members.PageAsync(_workspace, "doomed", null, 10));
        Assert.Equal(["c000001"], await _members.PageAsync(_workspace, "kept", null, 10));
        Assert.Equal(["c000001"], await _members.PageAsync($"{_workspace}-other", "doomed", null, 10));
        // A segment with no rows.
        await _members.DeleteSegmentAsync(_workspace, "doomed");
    }

    [Fact]
    public async Task Erasing_keys_deletes_their_memberships_of_every_segment_in_that_workspace_only()
    {
        var otherWorkspace = $"{_workspace}-other";
        await _log.AppendAsync(
            [Entry("a", 1), Entry("b", 1), Entry("c", 1)],
            [],
            [],
            [In("vip", "a"), In("churned", "a"), In("vip", "b"), In("vip", "c"), In("vip", "A"), In("vip", "a") with { Workspace = otherWorkspace }]);

        await _log.EraseAsync(_workspace, ["a", "b"]);

        Assert.Equal(["A", "c"], await _members.PageAsync(_workspace, "vip", null, 10));
        Assert.Equal(0, await _members.CountAsync(_workspace, "churned"));
        Assert.Equal(["a"], await _members.PageAsync(otherWorkspace, "vip", null, 10));
    }

    [Fact]
    public async Task Concurrent_appends_of_different_customers_all_write_their_memberships()
    {
        const int customers = 40;
        // Not all at once: the test server has few connections.
        await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            var key = $"c{i:D2}";
            await _log.AppendAsync([Entry(key, 1), Entry(key, 2)], [], [], [In("all", key), In(i % 2 == 0 ? "even" : "odd", key)], cancellationToken);
            await _log.AppendAsync([Entry(key, 3)], [], [], [Out("all", key), In("all", key)], cancellationToken);
        });

        var all = Enumerable.Range(0, customers).Select(i => $"c{i:D2}").ToList();
        Assert.Equal(all, await _members.PageAsync(_workspace, "all", null, 100));
        Assert.Equal(customers / 2, await _members.CountAsync(_workspace, "even"));
        Assert.Equal(customers / 2, await _members.CountAsync(_workspace, "odd"));
        Assert.Equal(all, await _log.ListCustomersAsync(_workspace, null, 100));
    }

    private MembershipChange In(string segment, string customerKey) => new(_workspace, segment, customerKey, true);

    private MembershipChange Out(string segment, string customerKey) => new(_workspace, segment, customerKey, false);

    private LogEntry Entry(string customerKey, long seq) => new(_workspace, customerKey, seq, LogEntry.EventKind, T0, T0, "page_viewed", "{}");

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

public sealed class MembershipChangeTests
{
    [Fact]
    public void The_last_change_of_each_key_is_kept_in_key_order()
    {
        MembershipChange[] changes =
        [
            new("w", "vip", "b", true),
            new("w", "vip", "a", true),
            new("w", "vip", "b", false),
            new("w", "churned", "b", true),
            new("v", "vip", "b", true),
            new("w", "vip", "a", false),
            new("w", "vip", "a", true),
            new("w", "vip", "B", false),
        ];

        Assert.Equal(
        [
            new("v", "vip", "b", true),
            new("w", "churned", "b", true),
            new("w", "vip", "B", false),
            new("w", "vip", "a", true),
            new("w", "vip", "b", false),
        ],
            MembershipChange.LastWins(changes));
        Assert.Empty(MembershipChange.LastWins([]));
    }
}

/// <summary>No SQL Server runs here, so the membership statements are checked by SQL Server 2022's parser and the
/// table-valued parameter rows are built without a server.</summary>
public sealed class SqlServerSegmentMembersTests
{
    private static readonly SegmentMembersDialect Dialect = SegmentMembersDialect.For(StorageProvider.SqlServer);

    public static TheoryData<string> Statements => new()
    {
        SqlServerSegmentMembersDialect.InsertSql,
        SqlServerSegmentMembersDialect.DeleteSql,
        Prepare(command => Dialect.PreparePage(command, "w", "vip", null, 250)),
        Prepare(command => Dialect.PreparePage(command, "w", "vip", "a", 250)),
        Prepare(command => Dialect.PrepareCount(command, "w", "vip")),
        Prepare(command => Dialect.PrepareDeleteSegment(command, "w", "vip", 10_000)),
        Prepare(command => Dialect.PrepareErase(command, "w", ["a", "b"])),
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_parses_as_SQL_Server_2022_TSql(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);

        Assert.Empty(errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}"));
    }

    [Fact]
    public void The_count_is_a_64_bit_count()
    {
        Assert.Contains("COUNT_BIG(*)", Prepare(command => Dialect.PrepareCount(command, "w", "vip")), StringComparison.Ordinal);
    }

    [Fact]
    public void Table_valued_parameter_rows_carry_every_key_field()
    {
        var rows = SqlServerSegmentMembersDialect.Records([new MembershipChange("w", "vip", "a", true), new MembershipChange("w", "churned", "B", false)])
            .Select(record => (record.GetString(0), record.GetString(1), record.GetString(2)))
            .ToList();

        Assert.Equal([("w", "vip", "a"), ("w", "churned", "B")], rows);
    }

    private static string Prepare(Action<DbCommand> prepare)
    {
        using var command = new SqlCommand();
        prepare(command);
        return command.CommandText;
    }
}
