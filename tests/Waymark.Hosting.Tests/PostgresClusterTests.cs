using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Testing;

namespace Waymark.Hosting.Tests;

/// <summary>Silos on the real PostgreSQL server: clustering, grain state and reminders through ADO.NET.</summary>
public sealed class PostgresClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly List<IHost> silos = [];
    private PostgresDatabase database = null!;

    public async Task InitializeAsync() => database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var silo in silos)
        {
            await silo.StopAsync();
            silo.Dispose();
        }

        await database.DisposeAsync();
    }

    private async Task<IGrainFactory> StartSilo()
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
        builder.AddWaymarkSilo(silo => silo.Services.AddSerializer(s => s.AddAssembly(typeof(ReminderProbeGrain).Assembly)));
        var host = builder.Build();
        await host.StartAsync();
        silos.Add(host);
        return host.Services.GetRequiredService<IGrainFactory>();
    }

    private async Task StopAllSilos()
    {
        foreach (var silo in silos)
        {
            await silo.StopAsync();
            silo.Dispose();
        }

        silos.Clear();
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Two_silos_form_one_cluster_through_the_database()
    {
        var first = await StartSilo();
        await StartSilo();

        var hosts = await Eventually(() => first.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), h => h.Count == 2);

        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task Grain_state_written_through_one_silo_survives_a_full_cluster_restart()
    {
        var first = await StartSilo();
        await StartSilo();
        var created = await first.GetGrain<IWorkspaceGrain>("restart").Create(writeKeySecret: null, adminKeySecret: null);
        var tokyo = WorkspaceSettings.Defaults with { Timezone = "Asia/Tokyo" };
        await first.GetGrain<IWorkspaceGrain>("restart").UpdateSettings(tokyo);

        await StopAllSilos();
        var after = await StartSilo();

        var view = await after.GetGrain<IWorkspaceGrain>("restart").Describe();
        Assert.NotNull(view);
        Assert.Equal("Asia/Tokyo", view.Settings.Timezone);
        Assert.Equal(created!.InboxSecret, view.InboxSecret);
        var grant = await after.GetGrain<IAccessKeyGrain>(AccessKeyHash.Of(created.AdminKey)).Resolve();
        Assert.Equal(new AccessGrant("restart", grant!.KeyId, AccessRole.Admin), grant);
    }

    [Fact]
    public async Task A_reminder_registered_before_a_restart_fires_after_it()
    {
        var before = await StartSilo();
        await before.GetGrain<IReminderProbeGrain>("probe").Arm(dueTime: TimeSpan.FromSeconds(4), period: TimeSpan.FromMinutes(1));
        Assert.Equal(0, await before.GetGrain<IReminderProbeGrain>("probe").Fired());

        await StopAllSilos();
        var after = await StartSilo();

        var fired = await Eventually(() => after.GetGrain<IReminderProbeGrain>("probe").Fired(), n => n > 0);
        Assert.True(fired > 0, "the reminder did not fire after the restart");
    }
}
