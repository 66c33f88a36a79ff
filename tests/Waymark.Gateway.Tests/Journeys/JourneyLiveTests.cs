using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Streams;
using Waymark.Gateway.Tests.Customers;
using Waymark.Grains.Live;

namespace Waymark.Gateway.Tests.Journeys;

/// <summary>GET /api/journeys/{id}/live: a journey's transitions as server-sent events, for whoever may read journeys.</summary>
public class JourneyLiveTests(SingleNode node) : IClassFixture<SingleNode>, IAsyncLifetime
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);
    private DesignTeam team = null!;

    public async Task InitializeAsync() => team = await DesignTeam.JoinAsync(node);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Enters on <paramref name="trigger"/>, waits <paramref name="wait"/>, leaves: entered, moved, exited.</summary>
    private static JsonNode Canvas(string trigger, string wait) => JsonNode.Parse($$"""
        {
          "name": "Live",
          "trigger": { "type": "event", "event": "{{trigger}}" },
          "entry": { "reentry": "always" },
          "start": "pause",
          "nodes": [
            { "id": "pause", "type": "wait", "duration": "{{wait}}", "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    private async Task<(string Journey, string Trigger)> PublishAsync(string wait = "PT1S")
    {
        var journey = Segment.NewId("live");
        var trigger = Segment.NewId("signed_up");
        await team.PublishAsync(journey, Canvas(trigger, wait));
        return (journey, trigger);
    }

    [Fact]
    public async Task A_watcher_sees_every_transition_of_its_journey_with_the_customer_and_nothing_of_another_journey()
    {
        var (watched, trigger) = await PublishAsync();
        var (other, otherTrigger) = await PublishAsync();
        await using var watch = await LiveWatch.OpenAsync(team.Viewer, watched);
        var customer = Segment.NewId("u");

        await segment.Send("track", new { userId = customer, @event = otherTrigger });
        await segment.Send("track", new { userId = customer, @event = trigger });

        var items = await watch.UntilAsync(item => item.GetProperty("kind").GetString() == "exited");
        Assert.All(items, item =>
        {
            Assert.Equal(watched, item.GetProperty("journey").GetString());
            Assert.Equal(customer, item.GetProperty("customerId").GetString());
            Assert.True(item.TryGetProperty("at", out _));
        });
        Assert.Equal(["entered", "moved", "exited"], items.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal("pause", items[0].GetProperty("node").GetString());
        Assert.Equal(("pause", "done", "next"), (items[1].GetProperty("from").GetString(), items[1].GetProperty("to").GetString(), items[1].GetProperty("reason").GetString()));
        Assert.Equal("exit_node", items[2].GetProperty("reason").GetString());
        Assert.All(watch.EventTypes, type => Assert.Equal("transition", type));

        // The other journey ran too: it is on its own stream.
        var timeline = await segment.Timeline(customer);
        Assert.Contains(timeline, i => i.GetProperty("kind").GetString() == "entered" && i.GetProperty("journey").GetString() == other);
    }

    [Fact]
    public async Task A_watcher_sees_transitions_from_the_moment_it_subscribes()
    {
        var (journey, trigger) = await PublishAsync(wait: "P1D");
        var earlier = Segment.NewId("u");
        await segment.Send("track", new { userId = earlier, @event = trigger });
        await Task.Delay(TimeSpan.FromSeconds(1)); // past the silo's flush, so the earlier entry is published before anyone watches

        await using var watch = await LiveWatch.OpenAsync(team.Viewer, journey);
        var later = Segment.NewId("a");
        await segment.Send("track", new { anonymousId = later, @event = trigger });

        var entered = Assert.Single(await watch.UntilAsync(item => item.GetProperty("customerId").GetString() == later));
        Assert.Equal("entered", entered.GetProperty("kind").GetString());
        Assert.Equal(journey, entered.GetProperty("journey").GetString());
    }

    [Fact]
    public async Task Several_watchers_of_one_journey_each_see_its_transitions()
    {
        var (journey, trigger) = await PublishAsync(wait: "P1D");
        await using var viewer = await LiveWatch.OpenAsync(team.Viewer, journey);
        await using var designer = await LiveWatch.OpenAsync(team.Designer, journey);
        var customer = Segment.NewId("u");

        await segment.Send("track", new { userId = customer, @event = trigger });

        foreach (var watch in new[] { viewer, designer })
        {
            var entered = Assert.Single(await watch.UntilAsync(item => item.GetProperty("kind").GetString() == "entered"));
            Assert.Equal(customer, entered.GetProperty("customerId").GetString());
        }
    }

    [Fact]
    public async Task A_watcher_that_leaves_leaves_no_subscription_behind()
    {
        var (journey, _) = await PublishAsync(wait: "P1D");
        var stream = node.Host.Services.GetRequiredService<IClusterClient>()
            .GetStreamProvider(LiveStreams.ProviderName).GetStream<string>(LiveStreams.Of("default", journey));

        var watch = await LiveWatch.OpenAsync(team.Viewer, journey);
        Assert.Single(await stream.GetAllSubscriptionHandles());
        await watch.DisposeAsync();

        Assert.Empty(await Eventually(stream.GetAllSubscriptionHandles, handles => handles.Count == 0));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("designer")]
    [InlineData("approver")]
    [InlineData("admin")]
    public async Task Every_role_that_reads_journeys_may_watch_one(string role)
    {
        var (journey, _) = await PublishAsync(wait: "P1D");
        await using var watch = await LiveWatch.OpenAsync(team.As(role), journey);
    }

    [Fact]
    public async Task A_write_key_may_not_watch_and_no_key_is_unauthorized()
    {
        var (journey, _) = await PublishAsync(wait: "P1D");
        await Problem.AssertAsync(await team.Writer.GetAsync($"/api/journeys/{journey}/live"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Host.CreateClient().GetAsync($"/api/journeys/{journey}/live")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_journey_cannot_be_watched()
    {
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{Segment.NewId("nope")}/live"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await team.Viewer.GetAsync("/api/journeys/Not%20An%20Id/live"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_of_another_workspace_cannot_watch_a_journey()
    {
        var (journey, _) = await PublishAsync(wait: "P1D");
        var created = await DesignTeam.ExpectAsync(
            await team.Admin.PostAsJsonAsync("/api/workspaces", new { id = Segment.NewId("ws") }), HttpStatusCode.Created);
        var stranger = node.Host.ClientWithBearer(created.GetProperty("adminKey").GetString()!);

        await Problem.AssertAsync(await stranger.GetAsync($"/api/journeys/{journey}/live"), HttpStatusCode.NotFound);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(LiveWatch.Patience);
        while (true)
        {
            var value = await read();
            if (done(value) || timeout.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
