using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Timers;
using Waymark.Hosting;
using Waymark.Storage.Timers;

namespace Waymark.Drills.Failover;

/// <summary>Which silo, named by its silo port, held each timer shard and each active customer at one moment.</summary>
/// <param name="ShardPorts">Shard number → the port of the silo it was active on; a shard active nowhere is absent.</param>
/// <param name="CustomerPorts">Customer id → the port of the silo it was active on; a customer active nowhere is absent.</param>
/// <param name="CustomerShards">Customer id → the shard of its wake-ups, as every silo computes it from its grain id.</param>
public sealed record Placement(IReadOnlyDictionary<int, int> ShardPorts, IReadOnlyDictionary<string, int> CustomerPorts, IReadOnlyDictionary<string, int> CustomerShards);

/// <summary>
/// The drill's own Orleans client of the cluster (Waymark's client hosting, found through the same database), used only
/// to look inside: where the timer shards and the customers are active, and what membership says of each silo. The
/// product is driven through the gateway alone.
/// </summary>
public sealed class ClusterView : IAsyncDisposable
{
    private readonly IHost host;
    private readonly IClusterClient client;

    private ClusterView(IHost host)
    {
        this.host = host;
        client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <param name="settings">The cluster's storage settings (<c>Waymark:Storage:Provider</c>, <c>ConnectionStrings:Waymark</c>).</param>
    public static async Task<ClusterView> ConnectAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWaymarkClient();
        var host = builder.Build();
        await host.StartAsync();
        return new ClusterView(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    /// <summary>Where each of <paramref name="shards"/> shards and each of <paramref name="customers"/> (user ids of
    /// workspace <c>default</c>) is active now, over every active silo.</summary>
    public async Task<Placement> PlacementAsync(int shards, IReadOnlyList<string> customers)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        var silos = (await management.GetHosts(onlyActive: true)).Keys.ToArray();
        var active = (await management.GetDetailedGrainStatistics(null, silos))
            .GroupBy(a => a.GrainId)
            .ToDictionary(g => g.Key, g => g.First().SiloAddress.Endpoint.Port);
        return new Placement(
            Located(Enumerable.Range(0, shards), ShardId),
            Located(customers, CustomerId),
            customers.ToDictionary(c => c, c => TimerShards.Of(CustomerId(c).ToString(), shards), StringComparer.Ordinal));

        GrainId ShardId(int shard) => client.GetGrain<ITimerShardGrain>(shard).GetGrainId();

        GrainId CustomerId(string customer) => client.GetGrain<ICustomerGrain>(CustomerKeys.Grain("default", CustomerKeys.User(customer))).GetGrainId();

        Dictionary<TKey, int> Located<TKey>(IEnumerable<TKey> keys, Func<TKey, GrainId> id)
            where TKey : notnull =>
            keys.Select(key => (Key: key, Found: active.TryGetValue(id(key), out var port), Port: port))
                .Where(k => k.Found)
                .ToDictionary(k => k.Key, k => k.Port);
    }

    /// <summary>What membership says of the silo at <paramref name="siloPort"/>: its latest incarnation's status, or
    /// null when the cluster cannot be asked right now.</summary>
    public async Task<SiloStatus?> StatusAsync(int siloPort)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false);
            return hosts.Where(h => h.Key.Endpoint.Port == siloPort).OrderBy(h => h.Key.Generation).Select(h => (SiloStatus?)h.Value).LastOrDefault();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return null;
        }
    }
}
