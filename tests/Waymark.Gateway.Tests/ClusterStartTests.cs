using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Operations;
using Waymark.Storage;
using Waymark.Testing;

namespace Waymark.Gateway.Tests;

public sealed class ClusterStartTests : IDisposable
{
    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task A_cluster_gateway_refuses_to_start_without_configured_keys()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var host = new GatewayHost(data.Path, new Dictionary<string, string?>
        {
            ["Waymark:Storage:Provider"] = "postgres",
            ["ConnectionStrings:Waymark"] = database.ConnectionString,
            ["Waymark:Hosting:Mode"] = "client",
        });

        var error = Assert.ThrowsAny<Exception>(host.StartServer);

        Assert.Contains("Waymark:Bootstrap:WriteKey and Waymark:Bootstrap:AdminKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_gateway_serves_through_a_separate_silo_process()
    {
        await using var cluster = await ClientModeCluster.StartAsync(data.Path, "client-mode-write-key-1", "client-mode-admin-key-1");
        var segment = new Segment(cluster.Gateway, "client-mode-write-key-1", "client-mode-admin-key-1");

        await segment.Send("identify", new { userId = "u-cluster", traits = new { plan = "pro" } });

        Assert.Equal("pro", (await segment.Customer("u-cluster")).GetProperty("traits").GetProperty("plan").GetString());
        Assert.Equal(HttpStatusCode.OK, (await cluster.Gateway.CreateClient().GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Readiness_fails_when_the_database_does_not_answer()
    {
        var unreachable = WaymarkDatabase.From(new StorageOptions
        {
            Provider = StorageProvider.Postgres,
            ConnectionString = $"Host=127.0.0.1;Port={FreePort.Next()};Username=nobody;Password=x;Database=none;Timeout=2",
        });

        var result = await new DatabaseHealthCheck(unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }
}
