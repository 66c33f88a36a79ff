using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Waymark.Hosting;
using Waymark.Testing;

namespace Waymark.Gateway.Tests;

/// <summary>
/// A silo process of its own and a gateway that joins it as an Orleans client, on a new PostgreSQL database:
/// the cluster deployment of compose.yaml, in one test process.
/// </summary>
public sealed class ClientModeCluster : IAsyncDisposable
{
    private readonly PostgresDatabase database;
    private readonly IHost silo;

    private ClientModeCluster(PostgresDatabase database, IHost silo, GatewayHost gateway) =>
        (this.database, this.silo, Gateway) = (database, silo, gateway);

    /// <summary>The gateway, in client mode, with the default workspace's bootstrap keys given.</summary>
    public GatewayHost Gateway { get; }

    public static async Task<ClientModeCluster> StartAsync(string dataDirectory, string writeKey, string adminKey)
    {
        var database = await PostgresDatabase.CreateAsync();
        var cluster = new Dictionary<string, string?>
        {
            ["Waymark:Storage:Provider"] = "postgres",
            ["ConnectionStrings:Waymark"] = database.ConnectionString,
            ["Waymark:Silo:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1",
        };
        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Configuration.AddInMemoryCollection(cluster);
        siloBuilder.AddWaymarkSilo();
        var silo = siloBuilder.Build();
        await silo.StartAsync();
        var gateway = new GatewayHost(dataDirectory, new Dictionary<string, string?>(cluster)
        {
            ["Waymark:Hosting:Mode"] = "client",
            ["Waymark:Bootstrap:WriteKey"] = writeKey,
            ["Waymark:Bootstrap:AdminKey"] = adminKey,
        });
        return new ClientModeCluster(database, silo, gateway);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await silo.StopAsync();
        silo.Dispose();
        await database.DisposeAsync();
    }
}
