using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Bench.Runtime;

/// <summary>
/// The journeys of the load, published over the management REST API as a design team does it (a designer saves and
/// submits, another key approves, the designer publishes), and their counts read back from <c>/stats</c>.
/// </summary>
internal sealed class BenchJourneys : IDisposable
{
    /// <summary>Node steps of one run before its wait (update, condition, wait) and after it (send, exit).</summary>
    public const int StepsBeforeWait = 3;
    public const int StepsAfterWait = 2;

    /// <summary>The wait node, the one the wheel ends.</summary>
    public const string WaitNode = "wait";

    private readonly Uri baseAddress;
    private readonly HttpClient admin;
    private HttpClient? designer;
    private HttpClient? approver;

    public BenchJourneys(Uri baseAddress)
    {
        this.baseAddress = baseAddress;
        admin = Client(BenchGateway.AdminKey);
    }

    /// <summary>
    /// A journey entered by the event <paramref name="trigger"/>: an <c>update</c> sets a trait, a <c>condition</c>
    /// reads it, a <c>wait</c> lasts until the time the event carries in <c>dueAt</c>, then a <c>send</c> to the
    /// in-app inbox and an <c>exit</c>. So a run takes three steps in the round its event triggers and two in the round
    /// its wake-up starts, and its message goes out in a third round (the outbox's wake-up).
    /// </summary>
    public static JsonNode Canvas(string name, string trigger) => JsonNode.Parse($$$"""
        {
          "name": "{{{name}}}",
          "trigger": { "type": "event", "event": "{{{trigger}}}" },
          "start": "mark",
          "nodes": [
            { "id": "mark", "type": "update", "setTraits": { "benchStage": "{{{trigger}}}" }, "next": "check" },
            { "id": "check", "type": "condition", "if": { "trait": "benchStage", "op": "eq", "value": "{{{trigger}}}" }, "then": "{{{WaitNode}}}", "else": "done" },
            { "id": "{{{WaitNode}}}", "type": "wait", "until": { "property": "trigger.properties.dueAt" }, "next": "tell" },
            { "id": "tell", "type": "send", "channel": "inapp", "category": "transactional",
              "template": { "title": "Your turn, {{ customer.id }}", "body": "Stage {{ customer.traits.benchStage }} of {{ journey.name }}" },
              "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    public async Task PublishAsync(string id, JsonNode canvas)
    {
        designer ??= await KeyAsync("designer");
        approver ??= await KeyAsync("approver");
        await ExpectAsync(await designer.PutAsJsonAsync($"/api/journeys/{id}", canvas));
        await ExpectAsync(await designer.PostAsync(new Uri($"/api/journeys/{id}/submit", UriKind.Relative), null));
        await ExpectAsync(await approver.PostAsJsonAsync($"/api/journeys/{id}/approve", new { comment = "benchmark" }));
        await ExpectAsync(await designer.PostAsync(new Uri($"/api/journeys/{id}/publish", UriKind.Relative), null));
    }

    /// <summary>The journey's counts per node, as <c>GET /api/journeys/{id}/stats</c> answers them (they lag by about a flush).</summary>
    public async Task<JourneyCounts> CountsAsync(string id)
    {
        var stats = await ExpectAsync(await admin.GetAsync(new Uri($"/api/journeys/{id}/stats", UriKind.Relative)));
        var nodes = stats.GetProperty("nodes").EnumerateObject().ToDictionary(
            n => n.Name,
            n => (Entered: n.Value.GetProperty("entered").GetInt64(), Current: n.Value.GetProperty("current").GetInt64()),
            StringComparer.Ordinal);
        return new JourneyCounts(nodes.Values.Sum(n => n.Entered), nodes.TryGetValue(WaitNode, out var wait) ? wait.Current : 0);
    }

    public void Dispose()
    {
        admin.Dispose();
        designer?.Dispose();
        approver?.Dispose();
    }

    private async Task<HttpClient> KeyAsync(string role)
    {
        var response = await ExpectAsync(await admin.PostAsJsonAsync("/api/keys", new { role, name = $"bench-{role}" }), HttpStatusCode.Created);
        return Client(response.GetProperty("key").GetString()!);
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == status
                ? (body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone())
                : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }
    }
}

/// <summary>A journey's node steps so far (Σ entered over its nodes) and the runs waiting at its wait node.</summary>
internal sealed record JourneyCounts(long Steps, long Waiting);
