using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// A workspace of its own (so its channel settings meet no other test's) with its design team, its Segment sender and
/// a helper to publish one-send journeys.
/// </summary>
internal sealed class DeliveryWorkspace
{
    private DeliveryWorkspace(string id, DesignTeam team, Segment segment) => (Id, Team, Segment) = (id, team, segment);

    public string Id { get; }

    public DesignTeam Team { get; }

    public Segment Segment { get; }

    public HttpClient Admin => Team.Admin;

    /// <summary>A new workspace created through <paramref name="adminKey"/>'s workspace.</summary>
    public static async Task<DeliveryWorkspace> CreateAsync(GatewayHost host, string adminKey)
    {
        var id = "dl-" + Guid.NewGuid().ToString("N")[..12];
        var created = await DesignTeam.ExpectAsync(
            await host.ClientWithBearer(adminKey).PostAsJsonAsync("/api/workspaces", new { id }), HttpStatusCode.Created);
        return await JoinAsync(host, id, created.GetProperty("writeKey").GetString()!, created.GetProperty("adminKey").GetString()!);
    }

    /// <summary>An existing workspace, such as a host's bootstrap workspace <c>default</c>.</summary>
    public static async Task<DeliveryWorkspace> JoinAsync(GatewayHost host, string id, string writeKey, string adminKey) =>
        new(id, await DesignTeam.JoinAsync(host, writeKey, adminKey), new Segment(host, writeKey, adminKey));

    public async Task ConfigureAsync(string channel, Uri url, string secret) =>
        await DesignTeam.ExpectAsync(await Admin.PutAsJsonAsync($"/api/channels/{channel}", new { url, secret }), HttpStatusCode.OK);

    /// <summary>Publishes a journey that sends one transactional message on <paramref name="channel"/> when <paramref name="trigger"/> happens.</summary>
    public async Task<string> PublishSendAsync(string trigger, string channel, JsonObject template)
    {
        var journey = Segment.NewId("send");
        var canvas = new JsonObject
        {
            ["name"] = $"One {channel} message",
            ["trigger"] = new JsonObject { ["type"] = "event", ["event"] = trigger },
            ["entry"] = new JsonObject { ["reentry"] = "always" },
            ["start"] = "notify",
            ["nodes"] = new JsonArray
            {
                new JsonObject
                {
                    ["id"] = "notify", ["type"] = "send", ["channel"] = channel, ["category"] = "transactional",
                    ["template"] = template, ["next"] = "done",
                },
                new JsonObject { ["id"] = "done", ["type"] = "exit" },
            },
        };
        await Team.PublishAsync(journey, canvas);
        return journey;
    }

    /// <summary>The customer's channel answers (<see cref="Messages"/>) once <paramref name="done"/> holds for them (or 30 s have passed).</summary>
    public async Task<JsonElement[]> MessagesAsync(string customer, Func<JsonElement[], bool> done) =>
        await Poll.Until(async () => Messages(await Segment.Timeline(customer)), done);

    /// <summary>The <c>message</c> items that record a channel's answer: <c>sent</c> or <c>failed</c> (not those of a sending rule).</summary>
    public static JsonElement[] Messages(JsonElement[] timeline) =>
        [.. timeline.Where(i => i.GetProperty("kind").GetString() == "message" && i.GetProperty("status").GetString() is "sent" or "failed")];
}
