using System.Text.Json.Nodes;
using Waymark.Gateway.Tests.Customers;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Journeys;

/// <summary>The live view through a gateway that is an Orleans client of a separate silo process, on PostgreSQL.</summary>
public sealed class JourneyLiveClusterTests : IDisposable
{
    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task A_client_gateway_relays_the_transitions_a_silo_publishes()
    {
        await using var cluster = await ClientModeCluster.StartAsync(data.Path, "live-client-write-key-1", "live-client-admin-key-1");
        var team = await DesignTeam.JoinAsync(cluster.Gateway, "live-client-write-key-1", "live-client-admin-key-1");
        var segment = new Segment(cluster.Gateway, "live-client-write-key-1", "live-client-admin-key-1");
        var journey = Segment.NewId("live");
        var trigger = Segment.NewId("signed_up");
        await team.PublishAsync(journey, JsonNode.Parse($$"""
            {
              "name": "Live through a client",
              "trigger": { "type": "event", "event": "{{trigger}}" },
              "start": "pause",
              "nodes": [
                { "id": "pause", "type": "wait", "duration": "P1D", "next": "done" },
                { "id": "done", "type": "exit" }
              ]
            }
            """)!);

        await using var watch = await LiveWatch.OpenAsync(team.Viewer, journey);
        await segment.Send("track", new { userId = "u-live", @event = trigger });

        var entered = Assert.Single(await watch.UntilAsync(item => item.GetProperty("kind").GetString() == "entered"));
        Assert.Equal("u-live", entered.GetProperty("customerId").GetString());
        Assert.Equal(journey, entered.GetProperty("journey").GetString());
    }
}
