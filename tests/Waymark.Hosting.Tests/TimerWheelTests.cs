using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Waymark.Grains.Timers;
using Waymark.Model.Time;
using Waymark.Storage;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Timers;
using Waymark.Testing;
using Xunit.Abstractions;

namespace Waymark.Hosting.Tests;

public sealed class SqliteTimerWheelTests(ITestOutputHelper output) : TimerWheelTests(output)
{
    private readonly ScratchDirectory folder = new();

    protected override IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "sqlite",
        ["Waymark:Storage:Path"] = Path.Combine(folder.Path, "waymark.db"),
    };

    [Theory]
    [InlineData("Waymark:Timers:Shards", "0")]
    [InlineData("Waymark:Timers:Shards", "1025")]
    [InlineData("Waymark:Timers:PollInterval", "00:00:00")]
    [InlineData("Waymark:Timers:PollInterval", "00:05:00")]
    public async Task A_timer_option_out_of_range_stops_the_silo_from_starting(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartSiloAsync(settings: new() { [key] = value }));

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override ValueTask DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresTimerWheelTests(ITestOutputHelper output) : TimerWheelTests(output)
{
    private PostgresDatabase database = null!;

    protected override IReadOnlyDictionary<string, string?> StorageSettings => new Dictionary<string, string?>
    {
        ["Waymark:Storage:Provider"] = "postgres",
        ["ConnectionStrings:Waymark"] = database.ConnectionString,
        ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // tests talk over loopback only
    };

    protected override async Task CreateDatabaseAsync() => database = await PostgresDatabase.CreateAsync();

    protected override ValueTask DropDatabaseAsync() => database.DisposeAsync();
}

/// <summary>
/// The timer wheel in a real silo: wake-ups scheduled through the customer log's append reach a probe grain. The
/// tests assert what must always hold (each wake-up exactly once, never before it is due, page by page in due order,
/// retried after a failure, kept across a restart) and only report lateness, which depends on the machine.
/// </summary>
public abstract class TimerWheelTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Enough polls for a wake-up delivered twice to show up.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly List<IHost> silos = [];
    private long seq;

    protected abstract IReadOnlyDictionary<string, string?> StorageSettings { get; }

    public Task InitializeAsync() => CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in silos)
        {
            await silo.StopAsync();
            silo.Dispose();
        }

        await DropDatabaseAsync();
    }

    [Fact]
    public async Task Every_wake_up_fires_exactly_once_never_before_it_is_due_and_leaves_no_row()
    {
        var silo = await StartSiloAsync();
        var now = DateTimeOffset.UtcNow;
        // 300 wake-ups of 20 targets, due over the next 1 to 4 seconds.
        var timers = Enumerable.Range(0, 300)
            .Select(i => WakeUp(silo, $"every-{i % 20}", now.AddSeconds(1).AddMilliseconds(i * 10), $"run-{i}"))
            .ToList();

        await ScheduleAsync(silo, timers);

        var recorder = Recorder(silo);
        Assert.True(await EventuallyAsync(() => recorder.Woken.Count >= timers.Count), $"{recorder.Woken.Count} of {timers.Count} woke");
        await Task.Delay(Settle);
        var woken = recorder.Woken;
        Assert.Equal(
            timers.Select(t => (Key(t), t.Tag)).Order(),
            woken.Select(w => (w.Key, w.Tag)).Order());
        Assert.All(woken, w => Assert.True(w.At >= w.Due, $"{w.Key} {w.Tag} woke at {w.At:O}, before {w.Due:O}"));
        Assert.True(await EventuallyAsync(async () => await PendingRowsAsync() == 0), "rows of delivered wake-ups remain");
        ReportLateness(woken);
    }

    [Fact]
    public async Task Wake_ups_due_at_once_beyond_a_page_fire_page_by_page_in_due_order()
    {
        const int pageSize = 500;
        var silo = await StartSiloAsync();
        var shards = Shards(silo);
        // Targets of one shard, so one poll reads every wake-up, page after page.
        var keys = Enumerable.Range(0, 1000).Select(i => $"ordered-{i}")
            .Where(key => TimerShards.Of(WakeUpProbeGrain.Id(key).ToString(), shards) == 0).Take(10).ToList();
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        var timers = Enumerable.Range(0, (2 * pageSize) + 250)
            .Select(i => WakeUp(silo, keys[i % keys.Count], past.AddMilliseconds(i), $"n{i}"))
            .ToList();

        // One transaction: every poll sees all of them or none.
        await ScheduleAsync(silo, timers);

        var recorder = Recorder(silo);
        Assert.True(await EventuallyAsync(() => recorder.Woken.Count >= timers.Count), $"{recorder.Woken.Count} of {timers.Count} woke");
        await Task.Delay(Settle);
        var positionInDueOrder = timers.Select((t, i) => (t.Tag, i)).ToDictionary(p => p.Tag, p => p.i);
        var pagesInArrivalOrder = recorder.Woken.Select(w => positionInDueOrder[w.Tag] / pageSize).ToList();
        Assert.Equal(timers.Count, pagesInArrivalOrder.Count);
        // Within a page wake-ups run concurrently; a page starts only once the one before it is done.
        Assert.Equal(pagesInArrivalOrder.Order(), pagesInArrivalOrder);
    }

    [Fact]
    public async Task Wake_ups_that_fall_due_while_the_silo_is_down_fire_after_it_restarts()
    {
        // The first start creates the schema and registers the shards' reminders.
        await StopSiloAsync(await StartSiloAsync());
        var now = DateTimeOffset.UtcNow;
        var timers = Enumerable.Range(0, 20)
            .Select(i => WakeUps.Entry(WakeUpProbeGrain.Id($"restart-{i}"), now.AddMilliseconds(500 + (i * 10)), "run-1", new TimerWheelOptions().Shards))
            .ToList();
        await using (var log = new SqlCustomerLog(WaymarkDatabase.From(StorageOptionsOf(StorageSettings))))
        {
            await log.AppendAsync([Waiting()], timers, []);
        }

        await Task.Delay(timers.Max(t => t.Due) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100));
        var silo = await StartSiloAsync();

        var recorder = Recorder(silo);
        Assert.True(await EventuallyAsync(() => recorder.Woken.Count >= timers.Count), $"{recorder.Woken.Count} of {timers.Count} woke");
        await Task.Delay(Settle);
        Assert.Equal(timers.Select(Key).Order(), recorder.Woken.Select(w => w.Key).Order());
        ReportLateness(recorder.Woken);
    }

    [Fact]
    public async Task A_target_that_throws_is_retried_on_a_later_poll_and_holds_up_no_other()
    {
        var silo = await StartSiloAsync();
        var recorder = Recorder(silo);
        recorder.FailNext("flaky", 2);
        var due = DateTimeOffset.UtcNow;

        await ScheduleAsync(silo, [WakeUp(silo, "flaky", due, "run-1"), WakeUp(silo, "steady", due, "run-1")]);

        Assert.True(await EventuallyAsync(() => recorder.Woken.Any(w => w.Key == "flaky")), $"flaky was tried {recorder.Attempts("flaky")} times");
        await Task.Delay(Settle);
        Assert.Equal(3, recorder.Attempts("flaky"));
        Assert.Equal(["flaky", "steady"], recorder.Woken.Select(w => w.Key).Order());
        Assert.True(await EventuallyAsync(async () => await PendingRowsAsync() == 0), "the retried wake-up's row remains");
    }

    [Fact]
    public async Task Advancing_the_clock_a_day_fires_a_wake_up_due_a_day_later_without_waiting_a_day()
    {
        // A whole second, which the table stores exactly (it keeps microseconds).
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        // Waymark's business clock only: Orleans times its own work, the shards' polling included, in real time.
        var silo = await StartSiloAsync(services: services => services.AddSingleton(new WaymarkClock(clock)));
        var recorder = Recorder(silo);
        var start = clock.GetUtcNow();

        await ScheduleAsync(silo, [WakeUp(silo, "now", start, "run-1"), WakeUp(silo, "tomorrow", start.AddDays(1), "run-1")]);

        // Polling runs on real time: the wake-up due now fires while the clock stands still.
        Assert.True(await EventuallyAsync(() => recorder.Woken.Count >= 1), "the wake-up due now did not fire");
        await Task.Delay(Settle);
        Assert.Equal(["now"], recorder.Woken.Select(w => w.Key));

        clock.Advance(TimeSpan.FromDays(1));

        Assert.True(await EventuallyAsync(() => recorder.Woken.Count >= 2), "the wake-up due a day later did not fire");
        var tomorrow = recorder.Woken.Single(w => w.Key == "tomorrow");
        Assert.Equal(start.AddDays(1), tomorrow.Due);
        Assert.True(tomorrow.At >= tomorrow.Due);
    }

    protected abstract Task CreateDatabaseAsync();

    protected abstract ValueTask DropDatabaseAsync();

    protected async Task<IHost> StartSiloAsync(Action<IServiceCollection>? services = null, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(StorageSettings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Waymark:Silo:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = "0",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton<WakeUpRecorder>();
        services?.Invoke(builder.Services);
        builder.AddWaymarkSilo(silo => silo.Services.AddSerializer(s => s.AddAssembly(typeof(WakeUpProbeGrain).Assembly)));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        silos.Add(host);
        return host;
    }

    private async Task StopSiloAsync(IHost silo)
    {
        await silo.StopAsync();
        silos.Remove(silo);
        silo.Dispose();
    }

    /// <summary>Through the customer log's append, with the entry that says why, as a waiting customer schedules.</summary>
    private Task ScheduleAsync(IHost silo, IReadOnlyList<TimerEntry> timers) =>
        silo.Services.GetRequiredService<ICustomerLog>().AppendAsync([Waiting()], timers, []);

    private LogEntry Waiting()
    {
        var now = DateTimeOffset.UtcNow;
        return new LogEntry("timer-tests", "a:scheduler", Interlocked.Increment(ref seq), "waiting", now, now, null, "{}");
    }

    private static TimerEntry WakeUp(IHost silo, string key, DateTimeOffset due, string tag) =>
        WakeUps.Entry(WakeUpProbeGrain.Id(key), due, tag, Shards(silo));

    private static int Shards(IHost silo) => silo.Services.GetRequiredService<IOptions<TimerWheelOptions>>().Value.Shards;

    private static string Key(TimerEntry timer) => GrainId.Parse(timer.Target, CultureInfo.InvariantCulture).Key.ToString()!;

    private static WakeUpRecorder Recorder(IHost silo) => silo.Services.GetRequiredService<WakeUpRecorder>();

    private async Task<long> PendingRowsAsync()
    {
        var database = WaymarkDatabase.From(StorageOptionsOf(StorageSettings));
        await using var connection = database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM waymark_timers";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static StorageOptions StorageOptionsOf(IReadOnlyDictionary<string, string?> settings) => new()
    {
        Provider = Enum.Parse<StorageProvider>(settings["Waymark:Storage:Provider"]!, ignoreCase: true),
        Path = settings.GetValueOrDefault("Waymark:Storage:Path") ?? new StorageOptions().Path,
        ConnectionString = settings.GetValueOrDefault("ConnectionStrings:Waymark"),
    };

    /// <summary>Lateness is reported, never asserted: it measures the machine as much as the code.</summary>
    private void ReportLateness(IReadOnlyList<RecordedWakeUp> woken)
    {
        var lateness = woken.Select(w => (w.At - w.Due).TotalMilliseconds).Order().ToList();
        double At(double p) => lateness[(int)Math.Round(p * (lateness.Count - 1))];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{lateness.Count} wake-ups, lateness p50 {At(0.5):0} ms, p99 {At(0.99):0} ms, max {lateness[^1]:0} ms"));
    }

    private static Task<bool> EventuallyAsync(Func<bool> done) => EventuallyAsync(() => Task.FromResult(done()));

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }
}
