using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Gateway.Tests.Journeys;

/// <summary>A workspace's people as API keys: two of each role, so "someone else approves" can be tested.</summary>
internal sealed class DesignTeam
{
    private DesignTeam(GatewayHost host) => Host = host;

    public GatewayHost Host { get; }

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Designer { get; private set; } = null!;

    public HttpClient OtherDesigner { get; private set; } = null!;

    public HttpClient Approver { get; private set; } = null!;

    public HttpClient OtherApprover { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public HttpClient Writer { get; private set; } = null!;

    public static Task<DesignTeam> JoinAsync(SingleNode node) => JoinAsync(node.Host, node.WriteKey, node.AdminKey);

    public static async Task<DesignTeam> JoinAsync(GatewayHost host, string writeKey, string adminKey)
    {
        var team = new DesignTeam(host);
        team.Admin = host.ClientWithBearer(adminKey);
        team.Designer = await team.KeyAsync("designer");
        team.OtherDesigner = await team.KeyAsync("designer");
        team.Approver = await team.KeyAsync("approver");
        team.OtherApprover = await team.KeyAsync("approver");
        team.Viewer = await team.KeyAsync("viewer");
        team.Writer = host.ClientWithBearer(writeKey);
        return team;
    }

    public HttpClient As(string role) => role switch
    {
        "admin" => Admin,
        "designer" => Designer,
        "approver" => Approver,
        "viewer" => Viewer,
        "write" => Writer,
        "none" => Host.CreateClient(),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public async Task<HttpClient> KeyAsync(string role)
    {
        var response = await Admin.PostAsJsonAsync("/api/keys", new { role, name = $"{role}-{Guid.NewGuid():N}" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Host.ClientWithBearer((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
    }

    /// <summary>A draft saved, submitted, approved and published by different people; returns the journey document.</summary>
    public async Task<JsonElement> PublishAsync(string id, JsonNode canvas)
    {
        await ExpectAsync(await Designer.PutAsJsonAsync($"/api/journeys/{id}", canvas), HttpStatusCode.OK);
        await ExpectAsync(await Designer.PostAsync($"/api/journeys/{id}/submit", null), HttpStatusCode.OK);
        await ExpectAsync(await Approver.PostAsJsonAsync($"/api/journeys/{id}/approve", new { comment = "looks right" }), HttpStatusCode.OK);
        return await ExpectAsync(await Designer.PostAsync($"/api/journeys/{id}/publish", null), HttpStatusCode.OK);
    }

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A small valid canvas: an event trigger, one wait and an exit.</summary>
    public static JsonNode SimpleCanvas(string name = "Welcome", string wait = "P1D") => JsonNode.Parse($$"""
        {
          "name": "{{name}}",
          "trigger": { "type": "event", "event": "signed_up" },
          "start": "pause",
          "nodes": [
            { "id": "pause", "type": "wait", "duration": "{{wait}}", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    public static JsonNode Example(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", file)))!;
}
