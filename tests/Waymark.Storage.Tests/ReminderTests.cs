using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteReminderTests(SqliteTestDatabase test) : ReminderTests<SqliteTestDatabase>(test);

public sealed class PostgresReminderTests(PostgresTestDatabase test) : ReminderTests<PostgresTestDatabase>(test);

/// <summary>The reminder queries, driven through the reminder table Orleans registers for ADO.NET.</summary>
public abstract class ReminderTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    private static readonly GrainType JourneyType = GrainType.Create("journey");

    private readonly string _serviceId = $"service-{Guid.NewGuid():N}";

    // Whole seconds: every database stores them exactly, so values read back compare equal.
    private readonly DateTime _startAt = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public Task InitializeAsync() => SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_upserted_reminder_reads_back_with_the_etag_of_its_last_upsert()
    {
        var table = await CreateTableAsync(_serviceId);
        var grain = Journey(1);
        // Longer than int.MaxValue milliseconds, so Orleans binds the period as a bigint.
        var period = TimeSpan.FromDays(40);

        var firstEtag = await table.UpsertRow(Reminder(grain, "wake-up", TimeSpan.FromMinutes(5)));
        var secondEtag = await table.UpsertRow(Reminder(grain, "wake-up", period));
        var stored = await table.ReadRow(grain, "wake-up");

        Assert.NotNull(firstEtag);
        Assert.NotEqual(firstEtag, secondEtag);
        Assert.NotNull(stored);
        Assert.Equal(secondEtag, stored.ETag);
        Assert.Equal(grain, stored.GrainId);
        Assert.Equal("wake-up", stored.ReminderName);
        Assert.Equal(period, stored.Period);
        Assert.Equal(_startAt, stored.StartAt);
        Assert.Equal(DateTimeKind.Utc, stored.StartAt.Kind);
    }

    [Fact]
    public async Task Reading_a_reminder_that_was_never_set_gives_none()
    {
        var table = await CreateTableAsync(_serviceId);

        Assert.Null(await table.ReadRow(Journey(1), "wake-up"));
    }

    [Fact]
    public async Task Reading_a_grains_reminders_returns_only_that_grains()
    {
        var table = await CreateTableAsync(_serviceId);
        var grain = GrainId.Create(JourneyType, "Customer-A");
        // Grain ids are case-sensitive: this is another grain.
        var other = GrainId.Create(JourneyType, "customer-a");
        await table.UpsertRow(Reminder(grain, "wake-up"));
        await table.UpsertRow(Reminder(grain, "give-up"));
        await table.UpsertRow(Reminder(other, "wake-up"));

        var reminders = await table.ReadRows(grain);

        Assert.All(reminders.Reminders, r => Assert.Equal(grain, r.GrainId));
        Assert.Equal(["give-up", "wake-up"], reminders.Reminders.Select(r => r.ReminderName).Order());
    }

    [Fact]
    public async Task Range_reads_return_the_reminders_whose_grain_hash_is_after_begin_up_to_end_around_the_ring()
    {
        var table = await CreateTableAsync(_serviceId);
        var grains = Enumerable.Range(1, 64).Select(Journey).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Reminder(grain, "wake-up"));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).ToList();
        var low = hashes.Where(h => h < 0x8000_0000u).Order().ToList();
        var high = hashes.Where(h => h >= 0x8000_0000u).Order().ToList();
        Assert.True(low.Count >= 4 && high.Count >= 4, "The grains must hash into both halves of the ring.");

        // Orleans switches between two queries on the signed order of the bounds, which differs from the
        // unsigned ring order once a range crosses 0x80000000; these cover each combination.
        (uint Begin, uint End)[] ranges =
        [
            (low[1], low[^2]),   // plain range, positive as int
            (high[1], high[^2]), // plain range, negative as int
            (low[^2], high[1]),  // plain range that wraps as int
            (high[^2], low[1]),  // wraps around zero, plain as int
            (low[^2], low[1]),   // wraps around the whole ring
            (high[2], high[2]),  // begin = end: the whole ring
        ];
        foreach (var (begin, end) in ranges)
        {
            var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();

            var read = await table.ReadRows(begin, end);

            Assert.Equal(expected, read.Reminders.Select(r => r.GrainId.ToString()).Order());
        }
    }

    [Fact]
    public async Task Removing_a_reminder_needs_its_current_etag()
    {
        var table = await CreateTableAsync(_serviceId);
        var grain = Journey(1);
        var staleEtag = await table.UpsertRow(Reminder(grain, "wake-up"));
        var currentEtag = await table.UpsertRow(Reminder(grain, "wake-up"));

        Assert.False(await table.RemoveRow(grain, "wake-up", staleEtag!));
        Assert.NotNull(await table.ReadRow(grain, "wake-up"));

        Assert.True(await table.RemoveRow(grain, "wake-up", currentEtag!));
        Assert.Null(await table.ReadRow(grain, "wake-up"));
    }

    [Fact]
    public async Task Clearing_the_table_removes_only_this_services_reminders()
    {
        var table = await CreateTableAsync(_serviceId);
        var otherService = await CreateTableAsync($"other-{_serviceId}");
        var grain = Journey(1);
        await table.UpsertRow(Reminder(grain, "wake-up"));
        await otherService.UpsertRow(Reminder(grain, "wake-up"));

        await table.TestOnlyClearTable();

        Assert.Null(await table.ReadRow(grain, "wake-up"));
        Assert.NotNull(await otherService.ReadRow(grain, "wake-up"));
    }

    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static GrainId Journey(int key) => GrainId.Create(JourneyType, GrainIdKeyExtensions.CreateIntegerKey(key));

    private ReminderEntry Reminder(GrainId grain, string name, TimeSpan? period = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = _startAt,
        Period = period ?? TimeSpan.FromMinutes(1),
    };

    private async Task<IReminderTable> CreateTableAsync(string serviceId)
    {
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = "cluster";
            cluster.ServiceId = serviceId;
        });
        services.UseAdoNetReminderService(options => options.Configure(o =>
        {
            o.Invariant = test.Database.AdoNetInvariant;
            o.ConnectionString = test.Database.ConnectionString;
        }));
        var table = services.BuildServiceProvider().GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }
}
