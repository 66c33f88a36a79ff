using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Inbox;
using Waymark.Gateway.Tests.Journeys;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>canvas.md: when two profiles merge, their runs combine; of a journey that runs once at a time the older run survives.</summary>
public class MergedRunsTests(SingleNode node) : IClassFixture<SingleNode>, IAsyncLifetime
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);
    private readonly InboxApp inbox = new(node.Host, node.WriteKey, node.AdminKey);
    private DesignTeam team = null!;

    public async Task InitializeAsync() => team = await DesignTeam.JoinAsync(node);

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonNode Canvas(string trigger, string reentry, string wait) => JsonNode.Parse($$$"""
        {
          "name": "Merged",
          "trigger": { "type": "event", "event": "{{{trigger}}}" },
          "entry": { "reentry": "{{{reentry}}}" },
          "start": "wait",
          "nodes": [
            { "id": "wait", "type": "wait", "duration": "{{{wait}}}", "next": "hello" },
            { "id": "hello", "type": "send", "channel": "inapp", "category": "transactional", "template": { "title": "Hello {{ customer.id }}", "body": "Hi" }, "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    [Fact]
    public async Task A_visitors_run_goes_on_as_the_known_customers_and_its_wait_wakes_them()
    {
        var trigger = Segment.NewId("browsed");
        await team.PublishAsync(Segment.NewId("merged"), Canvas(trigger, "never", "PT2S"));
        var (visitor, user) = (Segment.NewId("anon"), Segment.NewId("u"));
        await segment.Send("track", new { anonymousId = visitor, @event = trigger });

        await segment.Send("identify", new { userId = user, anonymousId = visitor, traits = new { name = "Ada" } });

        var run = Assert.Single((await segment.Customer(user)).GetProperty("activeJourneys").EnumerateArray());
        Assert.Equal("wait", run.GetProperty("node").GetString());
        var message = Assert.Single(await Poll.Until(() => inbox.List(user), m => m.Length > 0));
        Assert.Equal($"Hello {user}", message.GetProperty("title").GetString());
        Assert.Empty((await segment.Customer(user)).GetProperty("activeJourneys").EnumerateArray());
    }

    [Fact]
    public async Task Of_two_runs_of_a_journey_that_runs_once_the_older_survives_and_the_other_ends_merged()
    {
        var trigger = Segment.NewId("browsed");
        var journey = Segment.NewId("merged");
        await team.PublishAsync(journey, Canvas(trigger, "never", "P1D"));
        var (visitor, user) = (Segment.NewId("anon"), Segment.NewId("u"));
        await segment.Send("track", new { userId = user, @event = trigger });
        var older = Assert.Single((await segment.Customer(user)).GetProperty("activeJourneys").EnumerateArray()).GetProperty("entryId").GetString();
        await segment.Send("track", new { anonymousId = visitor, @event = trigger });

        await segment.Send("identify", new { userId = user, anonymousId = visitor });

        var survivor = Assert.Single((await segment.Customer(user)).GetProperty("activeJourneys").EnumerateArray());
        Assert.Equal(older, survivor.GetProperty("entryId").GetString());
        var exit = Assert.Single(await segment.Timeline(user), i => i.GetProperty("kind").GetString() == "exited");
        Assert.Equal("merged", exit.GetProperty("reason").GetString());
        Assert.Equal("wait", exit.GetProperty("node").GetString());
        Assert.NotEqual(older, exit.GetProperty("entryId").GetString());

        var stats = await Poll.Until(
            async () => await DesignTeam.ExpectAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats"), HttpStatusCode.OK),
            s => Wait(s).GetProperty("exited").TryGetProperty("merged", out _));
        Assert.Equal(2, Wait(stats).GetProperty("entered").GetInt64());
        Assert.Equal(1, Wait(stats).GetProperty("current").GetInt64());
        Assert.Equal(1, Wait(stats).GetProperty("exited").GetProperty("merged").GetInt64());
    }

    [Fact]
    public async Task Runs_of_a_journey_that_always_admits_a_new_run_all_go_on()
    {
        var trigger = Segment.NewId("ordered");
        await team.PublishAsync(Segment.NewId("merged"), Canvas(trigger, "always", "P1D"));
        var (visitor, user) = (Segment.NewId("anon"), Segment.NewId("u"));
        await segment.Send("track", new { userId = user, @event = trigger });
        await segment.Send("track", new { anonymousId = visitor, @event = trigger });

        await segment.Send("identify", new { userId = user, anonymousId = visitor });

        Assert.Equal(2, (await segment.Customer(user)).GetProperty("activeJourneys").GetArrayLength());
        Assert.DoesNotContain(await segment.Timeline(user), i => i.GetProperty("kind").GetString() == "exited");
    }

    private static JsonElement Wait(JsonElement stats) => stats.GetProperty("nodes").GetProperty("wait");
}
