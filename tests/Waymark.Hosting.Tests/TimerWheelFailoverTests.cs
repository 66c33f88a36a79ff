using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Waymark.Grains.Timers;
using Waymark.Storage.CustomerLog;
using Waymark.Testing;
using Xunit.Abstractions;

namespace Waymark.Hosting.Tests;

/// <summary>
/// The timer wheel across a silo's death, on PostgreSQL: the survivor resumes the dead silo's shards as soon as
/// membership declares it dead, not at the shards' reminder ticks up to a minute later; and the membership probes that
/// bound the detection are Waymark's, or as configured.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class TimerWheelFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IHost> silos = [];
    private PostgresDatabase database = null!;

    public async Task InitializeAsync() => database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in silos)
        {
            await silo.StopAsync(new CancellationToken(canceled: true));
            silo.Dispose();
        }

        await database.DisposeAsync();
    }

    [Fact]
    public async Task Wake_ups_of_a_dead_silos_shards_fire_on_the_survivor_before_the_shards_reminders_could_tick()
    {
        // The first silo activates every shard, and each registers its reminder, first due a reminder period later.
        var shardsRegistered = Stopwatch.StartNew();
        var first = await StartSiloAsync();
        var survivor = await StartSiloAsync();

        // As a crash does: no graceful deactivation, so nothing but membership tells the survivor.
        await first.StopAsync(new CancellationToken(canceled: true));
        silos.Remove(first);
        first.Dispose();
        var died = Stopwatch.StartNew();

        // One wake-up in every shard, due now.
        var now = DateTimeOffset.UtcNow;
        var shards = survivor.Services.GetRequiredService<IOptions<TimerWheelOptions>>().Value.Shards;
        var timers = Enumerable.Range(0, 1000).Select(i => WakeUps.Entry(WakeUpProbeGrain.Id($"failover-{i}"), now, "run-1", shards))
            .GroupBy(t => t.Shard).Select(g => g.First()).ToList();
        Assert.Equal(shards, timers.Count);
        await survivor.Services.GetRequiredService<ICustomerLog>().AppendAsync(
            [new LogEntry("failover-tests", "a:scheduler", 1, "waiting", now, now, null, "{}")], timers, []);

        // Before any reminder could have brought a shard back, with a margin for the last poll.
        var recorder = survivor.Services.GetRequiredService<WakeUpRecorder>();
        var deadline = TimerShardGrain.ReminderPeriod - TimeSpan.FromSeconds(2);
        while (recorder.Woken.Count < timers.Count && shardsRegistered.Elapsed < deadline)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"{recorder.Woken.Count} of {timers.Count} woke, {died.Elapsed.TotalSeconds:F1} s after the first silo died, "
            + $"{shardsRegistered.Elapsed.TotalSeconds:F1} s after its shards registered their reminders");
        Assert.Equal(timers.Select(t => t.Target).Order(), recorder.Woken.Select(w => WakeUpProbeGrain.Id(w.Key).ToString()).Order());
    }

    [Fact]
    public async Task Membership_probes_on_a_server_database_are_Waymarks_unless_configured()
    {
        var defaults = (await StartSiloAsync()).Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        var configured = (await StartSiloAsync(new()
        {
            ["Waymark:Cluster:ProbeTimeout"] = "00:00:03",
            ["Waymark:Cluster:MissedProbesLimit"] = "4",
            ["Waymark:Cluster:VotesForDeathDeclaration"] = "3",
        })).Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), 3, 2), (defaults.ProbeTimeout, defaults.MaxProbeTimeout, defaults.NumMissedProbesLimit, defaults.NumVotesForDeathDeclaration));
        Assert.Equal((TimeSpan.FromSeconds(3), 4, 3), (configured.ProbeTimeout, configured.NumMissedProbesLimit, configured.NumVotesForDeathDeclaration));
    }

    [Fact]
    public void Only_silos_that_turned_dead_since_the_last_snapshot_count_as_newly_dead_and_never_the_silo_itself()
    {
        var (self, alive, dying, longDead, joinedDead) = (Silo(1), Silo(2), Silo(3), Silo(4), Silo(5));
        var before = Snapshot(1, (self, SiloStatus.Active), (alive, SiloStatus.Active), (dying, SiloStatus.Active), (longDead, SiloStatus.Dead));
        var after = Snapshot(2, (self, SiloStatus.Dead), (alive, SiloStatus.Active), (dying, SiloStatus.Dead), (longDead, SiloStatus.Dead), (joinedDead, SiloStatus.Dead));

        Assert.Equal([dying, joinedDead], TimerShardStarter.NewlyDead(before, after, self).OrderBy(s => s.Endpoint.Port));
        Assert.Empty(TimerShardStarter.NewlyDead(after, after, self));

        static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11_110 + n), 1);

        static ClusterMembershipSnapshot Snapshot(long version, params (SiloAddress Silo, SiloStatus Status)[] members) => new(
            members.ToImmutableDictionary(m => m.Silo, m => new ClusterMember(m.Silo, m.Status, m.Silo.ToString())),
            new MembershipVersion(version));
    }

    private async Task<IHost> StartSiloAsync(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Waymark:Storage:Provider"] = "postgres",
            ["ConnectionStrings:Waymark"] = database.ConnectionString,
            ["Waymark:Silo:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // tests talk over loopback only
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton<WakeUpRecorder>();
        builder.AddWaymarkSilo(silo => silo.Services.AddSerializer(s => s.AddAssembly(typeof(WakeUpProbeGrain).Assembly)));
        var host = builder.Build();
        silos.Add(host);
        await host.StartAsync();
        return host;
    }
}
