using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Bench.Common;
using Waymark.Testing;

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

    private readonly ManagementApi api;

    public BenchJourneys(Uri baseAddress) => api = new ManagementApi(baseAddress, BenchGateway.AdminKey, "benchmark", TimeSpan.FromMinutes(1));

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

    public Task PublishAsync(string id, JsonNode canvas) => api.PublishAsync(id, canvas);

    /// <summary>The journey's counts per node, as <c>GET /api/journeys/{id}/stats</c> answers them (they lag by about a flush).</summary>
    public async Task<JourneyCounts> CountsAsync(string id)
    {
        var stats = await api.StatsAsync(id);
        var nodes = stats.GetProperty("nodes").EnumerateObject().ToDictionary(
            n => n.Name,
            n => (Entered: n.Value.GetProperty("entered").GetInt64(), Current: n.Value.GetProperty("current").GetInt64()),
            StringComparer.Ordinal);
        return new JourneyCounts(nodes.Values.Sum(n => n.Entered), nodes.TryGetValue(WaitNode, out var wait) ? wait.Current : 0);
    }

    public void Dispose() => api.Dispose();
}

/// <summary>A journey's node steps so far (Σ entered over its nodes) and the runs waiting at its wait node.</summary>
internal sealed record JourneyCounts(long Steps, long Waiting);
