using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Waymark.Engine.Analysis;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Delivery;
using Waymark.Gateway.Tests.Inbox;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>Experiments and conversion analysis over HTTP, on a node whose business clock is fake (real time drives the wheel's polls and the counts' flushes).</summary>
public sealed class ExperimentTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly ScratchDirectory data = new();
    private readonly FakeTimeProvider clock = new(Start);
    private GatewayHost host = null!;
    private Segment segment = null!;
    private InboxApp inbox = null!;
    private DesignTeam team = null!;

    public async Task InitializeAsync()
    {
        host = new GatewayHost(data.Path, extraServices: services => services.AddSingleton(new WaymarkClock(clock)));
        var (writeKey, adminKey) = host.BootstrapKeys();
        segment = new Segment(host, writeKey, adminKey);
        inbox = new InboxApp(host, writeKey, adminKey);
        team = await DesignTeam.JoinAsync(host, writeKey, adminKey);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task The_variant_that_converts_best_in_the_test_goes_to_everyone_held_and_the_decision_is_shown()
    {
        await team.PublishAsync("race", JsonNode.Parse("""
            {
              "name": "Offer race",
              "trigger": { "type": "event", "event": "promo" },
              "goal": { "event": "purchased", "within": "P3D" },
              "start": "offer",
              "nodes": [
                { "id": "offer", "type": "send", "channel": "inapp", "category": "transactional",
                  "variants": [
                    { "name": "A", "weight": 50, "template": { "title": "Offer A", "body": "a" } },
                    { "name": "B", "weight": 50, "template": { "title": "Offer B", "body": "b" } } ],
                  "experiment": { "metric": "goal", "testPercent": 50, "duration": "PT1H" },
                  "next": "done" },
                { "id": "done", "type": "exit" }
              ]
            }
            """)!);
        var customers = Enumerable.Range(1, 60).Select(i => $"race-{i}").ToList();
        foreach (var customer in customers)
        {
            await segment.Send("track", new { userId = customer, @event = "promo" });
        }

        // The test group got a variant at once; the others wait for the winner. B's customers buy, A's do not.
        await Poll.Until(Stats, s => Node(s, "offer").GetProperty("entered").GetInt64() == customers.Count
            && Offer(s).GetProperty("all").GetProperty("sent").GetInt64() == Node(s, "done").GetProperty("entered").GetInt64());
        var tested = await Received(customers);
        var held = customers.Except(tested.Keys).ToList();
        var gotB = tested.Where(t => t.Value == "Offer B").Select(t => t.Key).ToList();
        Assert.NotEmpty(held);
        Assert.NotEmpty(gotB);
        Assert.Contains("Offer A", tested.Values);
        foreach (var customer in gotB)
        {
            await segment.Send("track", new { userId = customer, @event = "purchased" });
        }

        var testing = await Poll.Until(Stats, s => Goal(s).GetProperty("variants").GetProperty("B").GetProperty("converted").GetInt64() == gotB.Count);
        Assert.Equal("testing", Offer(testing).GetProperty("experiment").GetProperty("status").GetString());

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));

        var after = await Poll.Until(() => Received(held), got => got.Count == held.Count);
        Assert.All(held, customer => Assert.Equal("Offer B", after[customer]));
        var decided = await Poll.Until(Stats, s => Offer(s).GetProperty("variants").GetProperty("B").GetProperty("sent").GetInt64() == gotB.Count + held.Count);
        Assert.Equal("decided", Offer(decided).GetProperty("experiment").GetProperty("status").GetString());
        Assert.Equal("B", Offer(decided).GetProperty("experiment").GetProperty("winner").GetString());
        Assert.Equal(customers.Count, Offer(decided).GetProperty("all").GetProperty("sent").GetInt64());
    }

    [Fact]
    public async Task The_horse_race_gives_every_held_customer_the_copy_with_the_best_click_rate_from_reported_clicks()
    {
        // copy-horse-race.json with an api trigger: four push copies race on 10% of the audience for an hour.
        await using var provider = await Receiver.StartAsync();
        await DesignTeam.ExpectAsync(await team.Admin.PutAsJsonAsync("/api/channels/push", new { url = provider.Url("/push"), secret = "push-provider-secret-0123" }), HttpStatusCode.OK);
        var race = DesignTeam.Example("copy-horse-race.json");
        race["trigger"] = new JsonObject { ["type"] = "api" };
        await team.PublishAsync("copy-horse-race", race);
        var customers = Enumerable.Range(1, 400).Select(i => $"fan-{i}").ToList();
        var batch = new JsonObject { ["batch"] = new JsonArray([.. customers.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = "identify", ["userId"] = c, ["traits"] = new JsonObject { ["pushToken"] = $"token-{c}" },
        })]) };
        Assert.Equal(HttpStatusCode.OK, (await segment.Post("batch", batch.ToJsonString())).StatusCode);
        foreach (var page in customers.Chunk(100))
        {
            await DesignTeam.ExpectAsync(await team.Designer.PostAsJsonAsync("/api/journeys/copy-horse-race/enroll", new { customerIds = page }), HttpStatusCode.OK);
        }

        // The test group got its copies; everyone else waits at the node.
        var testing = await Poll.Until(Stats, s => Node(s, "push").GetProperty("entered").GetInt64() == customers.Count
            && Push(s).GetProperty("all").GetProperty("sent").GetInt64() + Node(s, "push").GetProperty("current").GetInt64() == customers.Count);
        var held = Node(testing, "push").GetProperty("current").GetInt64();
        var tested = provider.Requests.Select(r => JsonNode.Parse(r.Text)!).ToList();
        Assert.Equal(customers.Count - held, tested.Count);
        Assert.InRange(tested.Count, 10, 100);
        var copies = race["nodes"]![0]!["variants"]!.AsArray().ToDictionary(v => (string)v!["template"]!["title"]!, v => (string)v!["name"]!);
        var byCopy = tested.GroupBy(m => copies[(string)m["title"]!]).ToDictionary(g => g.Key, g => g.Select(m => (string)m["messageId"]!).ToList());
        Assert.Contains("discount", byCopy.Keys);

        // The app reports clicks: everyone who got the discount copy clicks, half of the social copy's customers do, and
        // a click reported twice counts once. Every message is reported delivered.
        var clicks = byCopy["discount"].Concat(byCopy.GetValueOrDefault("social", []).Where((_, i) => i % 2 == 1)).ToList();
        foreach (var messageId in tested.Select(m => (string)m["messageId"]!))
        {
            Assert.True(await Report(messageId, "delivered"));
        }

        foreach (var messageId in clicks)
        {
            Assert.True(await Report(messageId, "clicked"));
        }

        Assert.False(await Report(clicks[0], "clicked"));
        var clicked = await Poll.Until(Stats, s => Push(s).GetProperty("all").GetProperty("clicked").GetInt64() == clicks.Count);
        Assert.Equal(tested.Count, Push(clicked).GetProperty("all").GetProperty("delivered").GetInt64());
        Assert.Equal(byCopy["discount"].Count, Variant(clicked, "discount").GetProperty("clicked").GetInt64());
        Assert.Equal("testing", Push(clicked).GetProperty("experiment").GetProperty("status").GetString());

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(10));

        // Everyone held gets the discount copy, once.
        var all = await Poll.Until(() => Task.FromResult(provider.Requests), r => r.Count >= customers.Count);
        Assert.Equal(customers.Count, all.Select(r => r.MessageId).Distinct().Count());
        Assert.All(all.Skip(tested.Count), r => Assert.Equal("discount", copies[(string)JsonNode.Parse(r.Text)!["title"]!]));
        var decided = await Poll.Until(Stats, s => Variant(s, "discount").GetProperty("sent").GetInt64() == byCopy["discount"].Count + held);
        Assert.Equal("decided", Push(decided).GetProperty("experiment").GetProperty("status").GetString());
        Assert.Equal("discount", Push(decided).GetProperty("experiment").GetProperty("winner").GetString());
        Assert.Equal(customers.Count, Node(decided, "done").GetProperty("entered").GetInt64());
    }

    [Fact]
    public async Task A_branch_converts_with_a_lift_over_the_control_branch_and_its_interval()
    {
        await team.PublishAsync("coupon", JsonNode.Parse("""
            {
              "name": "Coupon against control",
              "trigger": { "type": "event", "event": "browsed" },
              "goal": { "event": "purchased", "within": "P3D" },
              "start": "split",
              "nodes": [
                { "id": "split", "type": "split", "branches": [
                  { "name": "control", "weight": 50, "next": "done" },
                  { "name": "coupon", "weight": 50, "next": "send" } ] },
                { "id": "send", "type": "send", "channel": "inapp", "category": "transactional", "template": { "title": "10% off", "body": "c" }, "next": "done" },
                { "id": "done", "type": "exit" }
              ]
            }
            """)!);
        var customers = Enumerable.Range(1, 40).Select(i => $"coupon-{i}").ToList();
        foreach (var customer in customers)
        {
            await segment.Send("track", new { userId = customer, @event = "browsed" });
        }

        // Everyone with the coupon buys, and every fourth customer of the control group does; the goal keeps counting after the runs ended.
        await Poll.Until(Stats, s => Node(s, "done").GetProperty("entered").GetInt64() == customers.Count
            && s.GetProperty("messages").GetProperty("send").GetProperty("all").GetProperty("sent").GetInt64() == Node(s, "send").GetProperty("entered").GetInt64());
        var withCoupon = (await Received(customers)).Keys.ToHashSet();
        var control = customers.Where(c => !withCoupon.Contains(c)).ToList();
        var buyers = withCoupon.Concat(control.Where((_, i) => i % 4 == 0)).ToList();
        foreach (var customer in buyers)
        {
            await segment.Send("track", new { userId = customer, @event = "purchased" });
        }

        var stats = await Poll.Until(Stats, s => Goal(s).GetProperty("converted").GetInt64() == buyers.Count);
        var goal = Goal(stats);
        Assert.Equal(customers.Count, goal.GetProperty("entries").GetInt64());
        Assert.Equal((double)buyers.Count / customers.Count, goal.GetProperty("rate").GetDouble(), 10);
        var controlGroup = new Conversion(control.Count, control.Count(buyers.Contains));
        var couponGroup = new Conversion(withCoupon.Count, withCoupon.Count);
        var branches = goal.GetProperty("branches");
        Assert.Equal(controlGroup.Entries, branches.GetProperty("control").GetProperty("entries").GetInt64());
        Assert.Equal(JsonValueKind.Null, branches.GetProperty("control").GetProperty("lift").ValueKind);
        var expected = Lift.Of(couponGroup, controlGroup)!;
        var coupon = branches.GetProperty("coupon");
        Assert.Equal(couponGroup.Converted, coupon.GetProperty("converted").GetInt64());
        Assert.Equal(expected.Value, coupon.GetProperty("lift").GetDouble(), 10);
        Assert.Equal(expected.Low, coupon.GetProperty("liftLow").GetDouble(), 10);
        Assert.Equal(expected.High, coupon.GetProperty("liftHigh").GetDouble(), 10);
    }

    /// <summary>The title of the in-app message each of <paramref name="customers"/> got, for those who got one.</summary>
    private async Task<Dictionary<string, string>> Received(IEnumerable<string> customers)
    {
        var received = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            if ((await inbox.List(customer)).FirstOrDefault() is { ValueKind: JsonValueKind.Object } message)
            {
                received[customer] = message.GetProperty("title").GetString()!;
            }
        }

        return received;
    }

    private async Task<JsonElement> Stats() =>
        await DesignTeam.ExpectAsync(await team.Viewer.GetAsync($"/api/journeys/{(await JourneyIds()).Single()}/stats"), HttpStatusCode.OK);

    private async Task<string[]> JourneyIds() =>
        [.. (await DesignTeam.ExpectAsync(await team.Viewer.GetAsync("/api/journeys"), HttpStatusCode.OK)).EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];

    private static JsonElement Goal(JsonElement stats) => stats.GetProperty("goal");

    private static JsonElement Node(JsonElement stats, string node) => stats.GetProperty("nodes").GetProperty(node);

    private static JsonElement Offer(JsonElement stats) => stats.GetProperty("messages").GetProperty("offer");

    private static JsonElement Push(JsonElement stats) => stats.GetProperty("messages").GetProperty("push");

    private static JsonElement Variant(JsonElement stats, string variant) => Push(stats).GetProperty("variants").GetProperty(variant);

    /// <summary>Reports a receiver's event on a message with the write key; whether it counted.</summary>
    private async Task<bool> Report(string messageId, string type) =>
        (await DesignTeam.ExpectAsync(await segment.Writer.PostAsJsonAsync($"/v1/messages/{messageId}/events", new { type }), HttpStatusCode.OK)).GetProperty("counted").GetBoolean();
}
