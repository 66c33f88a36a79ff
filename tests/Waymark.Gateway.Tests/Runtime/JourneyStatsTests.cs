using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Journeys;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>GET /api/journeys/{id}/stats: per-node counts, fed by the customers' own writes and read from their totals.</summary>
public class JourneyStatsTests(SingleNode node) : IClassFixture<SingleNode>, IAsyncLifetime
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);
    private DesignTeam team = null!;

    public async Task InitializeAsync() => team = await DesignTeam.JoinAsync(node);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Two seconds' wait, then VIPs are held for a day and the others get a message and leave; "cancel" ends a run anywhere.</summary>
    private static JsonNode Canvas(string trigger) => JsonNode.Parse($$"""
        {
          "name": "Counted",
          "trigger": { "type": "event", "event": "{{trigger}}" },
          "exitWhen": [ { "event": "cancel" } ],
          "start": "wait",
          "nodes": [
            { "id": "wait", "type": "wait", "duration": "PT2S", "next": "check" },
            { "id": "check", "type": "condition", "if": { "trait": "vip", "op": "eq", "value": true }, "then": "hold", "else": "remind" },
            { "id": "hold", "type": "wait", "duration": "P1D", "next": "done" },
            { "id": "remind", "type": "send", "channel": "inapp", "category": "transactional", "template": { "title": "Hello", "body": "Hi" }, "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    [Fact]
    public async Task Every_node_counts_its_arrivals_departures_and_exits_and_they_add_up()
    {
        var trigger = Segment.NewId("signed_up");
        var journey = Segment.NewId("counted");
        await team.PublishAsync(journey, Canvas(trigger));
        var (vip, regular, quitter) = (Segment.NewId("u"), Segment.NewId("u"), Segment.NewId("u"));
        await segment.Send("identify", new { userId = vip, traits = new { vip = true } });
        foreach (var customer in new[] { vip, regular, quitter })
        {
            await segment.Send("track", new { userId = customer, @event = trigger });
        }

        await segment.Send("track", new { userId = quitter, @event = "cancel" });

        var stats = await Poll.Until(() => Stats(journey), s => Node(s, "done").GetProperty("entered").GetInt64() == 1 && Node(s, "hold").GetProperty("entered").GetInt64() == 1);
        AssertCounts(Node(stats, "wait"), entered: 3, current: 0, movedOn: 2, ("exit_criterion", 1));
        AssertCounts(Node(stats, "check"), entered: 2, current: 0, movedOn: 2);
        AssertCounts(Node(stats, "hold"), entered: 1, current: 1, movedOn: 0);
        AssertCounts(Node(stats, "remind"), entered: 1, current: 0, movedOn: 1);
        AssertCounts(Node(stats, "done"), entered: 1, current: 0, movedOn: 0, ("exit_node", 1));

        // One version: its counts are the journey's, and every node of it is listed.
        Assert.Equal(stats.GetRawText(), (await Stats(journey, "?version=1")).GetRawText());
        Assert.Equal(["check", "done", "hold", "remind", "wait"], stats.GetProperty("nodes").EnumerateObject().Select(n => n.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_published_journey_no_one_entered_lists_its_nodes_at_zero_and_anyone_who_reads_may_see_it()
    {
        var journey = Segment.NewId("quiet");
        await team.PublishAsync(journey, Canvas(Segment.NewId("never_sent")));

        var response = await team.Viewer.GetAsync($"/api/journeys/{journey}/stats");

        var stats = await DesignTeam.ExpectAsync(response, HttpStatusCode.OK);
        AssertCounts(Node(stats, "wait"), entered: 0, current: 0, movedOn: 0);
        Assert.Equal(5, stats.GetProperty("nodes").EnumerateObject().Count());
    }

    [Fact]
    public async Task Unknown_journeys_and_versions_are_not_found_and_a_bad_version_is_refused()
    {
        var journey = Segment.NewId("asked");
        await team.PublishAsync(journey, Canvas(Segment.NewId("never_sent")));

        await Problem.AssertAsync(await team.Viewer.GetAsync("/api/journeys/no-such-journey/stats"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats?version=2"), HttpStatusCode.NotFound);
        var problem = await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats?version=0"), HttpStatusCode.BadRequest);
        Assert.Equal(["version"], Problem.ErrorPaths(problem));
        var notNumber = await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats?version=one"), HttpStatusCode.BadRequest);
        Assert.Equal(["version"], Problem.ErrorPaths(notNumber));
        await Problem.AssertAsync(await team.Writer.GetAsync($"/api/journeys/{journey}/stats"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_series_gives_each_hours_counts_and_they_add_up_to_the_totals()
    {
        var trigger = Segment.NewId("signed_up");
        var journey = Segment.NewId("hourly");
        await team.PublishAsync(journey, Canvas(trigger));
        foreach (var customer in new[] { Segment.NewId("u"), Segment.NewId("u") })
        {
            await segment.Send("track", new { userId = customer, @event = trigger });
        }

        var totals = await Poll.Until(() => Stats(journey), s => Node(s, "wait").GetProperty("entered").GetInt64() == 2);
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        // From half past, two hours back: the first bucket starts on its hour.
        var query = $"?from={Uri.EscapeDataString(hour.AddHours(-2).AddMinutes(30).ToString("O"))}&to={Uri.EscapeDataString(hour.AddHours(1).ToString("O"))}&bucket=PT1H";

        var series = (await Stats(journey, query)).GetProperty("series").EnumerateArray().ToList();

        Assert.Equal([hour.AddHours(-2), hour.AddHours(-1), hour], series.Select(p => p.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(
            Node(totals, "wait").GetProperty("entered").GetInt64(),
            series.Sum(p => p.GetProperty("nodes").GetProperty("wait").GetProperty("entered").GetInt64()));
        Assert.Equal(0, series[0].GetProperty("nodes").GetProperty("wait").GetProperty("entered").GetInt64());
    }

    [Theory]
    [InlineData("?from=2026-01-01T00:00:00Z", "to")]
    [InlineData("?to=2026-01-01T00:00:00Z", "from")]
    [InlineData("?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&bucket=PT30M", "bucket")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&bucket=soon", "bucket")]
    [InlineData("?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=PT1H", "to")]
    [InlineData("?from=yesterday&to=2026-01-02T00:00:00Z", "from")]
    [InlineData("?from=2026-01-01T00:00:00Z&to=2026-13-01T00:00:00Z", "to")]
    public async Task A_series_asked_for_badly_is_refused_naming_the_parameter(string query, string field)
    {
        var journey = Segment.NewId("asked");
        await team.PublishAsync(journey, Canvas(Segment.NewId("never_sent")));

        var problem = await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats{query}"), HttpStatusCode.BadRequest);

        Assert.Equal([field], Problem.ErrorPaths(problem));
    }

    private async Task<JsonElement> Stats(string journey, string query = "") =>
        await DesignTeam.ExpectAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats{query}"), HttpStatusCode.OK);

    private static JsonElement Node(JsonElement stats, string node) => stats.GetProperty("nodes").GetProperty(node);

    private static void AssertCounts(JsonElement counts, long entered, long current, long movedOn, params (string Reason, long Count)[] exited)
    {
        Assert.Equal(entered, counts.GetProperty("entered").GetInt64());
        Assert.Equal(current, counts.GetProperty("current").GetInt64());
        Assert.Equal(movedOn, counts.GetProperty("movedOn").GetInt64());
        Assert.Equal(
            exited.ToDictionary(e => e.Reason, e => e.Count),
            counts.GetProperty("exited").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt64()));
    }
}
