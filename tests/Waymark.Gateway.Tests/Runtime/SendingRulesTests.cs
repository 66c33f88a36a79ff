using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Delivery;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Grains.Delivery;
using Waymark.Grains.Workspaces;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>
/// The sending rules of canvas.md end to end over HTTP: unsubscribed, no address, the frequency cap and quiet hours, each a
/// timeline item and a counted reason, on a node whose business clock is fake and whose email, sms, push and webhook
/// messages land in a recording channel. Every test has its own node, so each owns its clock and workspace settings.
/// </summary>
public sealed class SendingRulesTests
{
    /// <summary>Tuesday 1 December 2026, noon UTC: outside the default quiet hours (22:00–08:00 UTC).</summary>
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_unsubscribed_customer_gets_no_marketing_on_that_channel_and_the_timeline_says_unsubscribed()
    {
        await using var node = await RulesNode.StartAsync(Noon);
        var journey = await node.PublishAsync("""
            [ { "id": "promo", "type": "send", "channel": "sms", "template": { "text": "20% off" }, "next": "receipt" },
              { "id": "receipt", "type": "send", "channel": "sms", "category": "transactional", "template": { "text": "Your order" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        foreach (var (user, phone) in new[] { ("opted-out", "+8613800000001"), ("subscribed", "+8613800000002") })
        {
            await node.Segment.Send("identify", new { userId = user, traits = new { phone } });
        }

        await DesignTeam.ExpectAsync(await node.Team.Admin.PutAsJsonAsync("/api/customers/opted-out/subscriptions", new { sms = false }), HttpStatusCode.OK);
        await node.Segment.Send("track", new { userId = "opted-out", @event = journey.Trigger });
        await node.Segment.Send("track", new { userId = "subscribed", @event = journey.Trigger });

        await node.EventuallyAsync(() => node.Sent("opted-out").Count == 1 && node.Sent("subscribed").Count == 2);
        Assert.Equal("Your order", Assert.Single(node.Sent("opted-out")).Content.Fields["text"]);
        var messages = await node.MessagesAsync("opted-out");
        var suppressed = Assert.Single(messages, m => m.GetProperty("status").GetString() == "suppressed");
        Assert.Equal(("promo", "unsubscribed", "sms", journey.Id), (Text(suppressed, "node"), Text(suppressed, "reason"), Text(suppressed, "channel"), Text(suppressed, "journey")));
        Assert.Contains(messages, m => Text(m, "node") == "receipt" && Text(m, "status") == "sent");

        var stats = await node.StatsAsync(journey.Id, s => Sent(s, "receipt") == 2 && Suppressed(s, "promo", "unsubscribed") == 1);
        Assert.Equal((1, 1, 2), (Sent(stats, "promo"), Suppressed(stats, "promo", "unsubscribed"), Sent(stats, "receipt")));
    }

    [Fact]
    public async Task A_customer_without_an_address_on_the_channel_is_skipped_even_for_transactional_and_a_device_token_is_a_push_address()
    {
        await using var node = await RulesNode.StartAsync(Noon);
        var journey = await node.PublishAsync("""
            [ { "id": "invoice", "type": "send", "channel": "email", "category": "transactional", "template": { "subject": "Invoice", "text": "…" }, "next": "nudge" },
              { "id": "nudge", "type": "send", "channel": "push", "template": { "title": "Hi", "body": "Come back" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);

        await node.Segment.Send("track", new { userId = "app-user", @event = journey.Trigger, context = new { device = new { token = "device-token-1" } } });
        await node.Segment.Send("track", new { userId = "web-user", @event = journey.Trigger });

        await node.EventuallyAsync(() => node.Sent("app-user").Count == 1);
        var push = Assert.Single(node.Sent("app-user"));
        Assert.Equal((Channel.Push, "device-token-1"), (push.Channel, push.Address));
        foreach (var (user, suppressedNodes) in new[] { ("app-user", new[] { "invoice" }), ("web-user", new[] { "invoice", "nudge" }) })
        {
            var messages = await node.EventuallyItemsAsync(user, items => items.Count(i => Text(i, "kind") == "exited") == 1);
            Assert.Equal(suppressedNodes, messages.Where(m => Text(m, "kind") == "message" && Text(m, "status") == "suppressed").Select(m => Text(m, "node")).Order(StringComparer.Ordinal));
            Assert.All(messages.Where(m => Text(m, "status") == "suppressed"), m => Assert.Equal("no_address", Text(m, "reason")));
        }

        Assert.Empty(node.Sent("web-user"));
        var stats = await node.StatsAsync(journey.Id, s => Suppressed(s, "nudge", "no_address") == 1 && Sent(s, "nudge") == 1);
        Assert.Equal((2, 1, 1), (Suppressed(stats, "invoice", "no_address"), Suppressed(stats, "nudge", "no_address"), Sent(stats, "nudge")));
    }

    [Fact]
    public async Task The_fourth_marketing_message_in_24_hours_is_suppressed_while_a_transactional_one_still_goes_out()
    {
        await using var node = await RulesNode.StartAsync(Noon);
        var offers = await node.PublishAsync(
            """[ { "id": "offer", "type": "send", "channel": "email", "template": { "subject": "Offer", "text": "…" }, "next": "done" }, { "id": "done", "type": "exit" } ]""");
        var receipts = await node.PublishAsync(
            """[ { "id": "receipt", "type": "send", "channel": "email", "category": "transactional", "template": { "subject": "Receipt", "text": "…" }, "next": "done" }, { "id": "done", "type": "exit" } ]""");
        await node.Segment.Send("identify", new { userId = "shopper", traits = new { email = "shopper@example.com" } });

        // Three offers an hour apart go out; the fourth, within 24 h of the first, does not.
        for (var i = 1; i <= 4; i++)
        {
            await node.Segment.Send("track", new { userId = "shopper", @event = offers.Trigger });
            var expected = Math.Min(i, 3);
            await node.EventuallyItemsAsync("shopper", items => items.Count(m => Text(m, "kind") == "message") == i);
            Assert.Equal(expected, node.Sent("shopper").Count);
            node.Clock.Advance(TimeSpan.FromHours(1));
        }

        var capped = (await node.MessagesAsync("shopper")).Single(m => Text(m, "status") == "suppressed");
        Assert.Equal(("offer", "frequency_cap"), (Text(capped, "node"), Text(capped, "reason")));

        await node.Segment.Send("track", new { userId = "shopper", @event = receipts.Trigger });
        await node.EventuallyAsync(() => node.Sent("shopper").Count == 4);
        Assert.Equal("Receipt", node.Sent("shopper")[3].Content.Fields["subject"]);

        // 24 hours after the first offer it leaves the window: there is room for one more.
        node.Clock.Advance(Noon.AddHours(24) - node.Clock.GetUtcNow());
        await node.Segment.Send("track", new { userId = "shopper", @event = offers.Trigger });
        await node.EventuallyAsync(() => node.Sent("shopper").Count == 5);

        var stats = await node.StatsAsync(offers.Id, s => Sent(s, "offer") == 4 && Suppressed(s, "offer", "frequency_cap") == 1);
        Assert.Equal((4, 1), (Sent(stats, "offer"), Suppressed(stats, "offer", "frequency_cap")));
    }

    [Fact]
    public async Task Two_marketing_messages_decided_in_one_round_cannot_both_take_the_last_place_under_the_cap()
    {
        await using var node = await RulesNode.StartAsync(Noon);
        await node.SettingsAsync(new { frequencyCap = new { count = 1, window = "PT24H" } });
        var trigger = Segment.NewId("signed_up");
        var first = await node.PublishAsync("""[ { "id": "hello", "type": "send", "channel": "sms", "template": { "text": "A" }, "next": "done" }, { "id": "done", "type": "exit" } ]""", trigger);
        var second = await node.PublishAsync("""[ { "id": "hello", "type": "send", "channel": "sms", "template": { "text": "B" }, "next": "done" }, { "id": "done", "type": "exit" } ]""", trigger);
        await node.Segment.Send("identify", new { userId = "newcomer", traits = new { phone = "+8613800000003" } });

        // One event enters both journeys in one round: the first send is decided, not yet sent, when the second is checked.
        await node.Segment.Send("track", new { userId = "newcomer", @event = trigger });

        var messages = await node.EventuallyItemsAsync("newcomer", items => items.Count(i => Text(i, "kind") == "message") == 2);
        await node.EventuallyAsync(() => node.Sent("newcomer").Count == 1);
        var suppressed = Assert.Single(messages, m => Text(m, "kind") == "message" && Text(m, "status") == "suppressed");
        Assert.Equal("frequency_cap", Text(suppressed, "reason"));
        Assert.Contains(Text(suppressed, "journey"), new[] { first.Id, second.Id });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(node.Sent("newcomer"));
    }

    [Fact]
    public async Task Inside_quiet_hours_a_marketing_message_waits_durably_across_a_restart_and_goes_out_when_they_end()
    {
        // 15:00 UTC is 23:00 in Shanghai, the customer's zone: quiet until 08:00 there, midnight UTC.
        var evening = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);
        var endOfQuiet = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        using var data = new ScratchDirectory();
        var clock = new FakeTimeProvider(evening);
        string messageId;
        (string Id, string Trigger) nightly;
        await using (var first = await RulesNode.StartAsync(clock, data.Path))
        {
            nightly = await first.PublishAsync("""
                [ { "id": "nightly", "type": "send", "channel": "sms", "template": { "text": "Good morning" }, "next": "done" }, { "id": "done", "type": "exit" } ]
                """);
            var codes = await first.PublishAsync("""
                [ { "id": "code", "type": "send", "channel": "sms", "category": "transactional", "template": { "text": "Code 1234" }, "next": "done" }, { "id": "done", "type": "exit" } ]
                """);
            await first.Segment.Send("identify", new { userId = "sleeper", traits = new { phone = "+8613800000004", timezone = "Asia/Shanghai" } });
            await first.Segment.Send("track", new { userId = "sleeper", @event = nightly.Trigger });
            await first.Segment.Send("track", new { userId = "sleeper", @event = codes.Trigger });

            // The transactional code goes out at once; the marketing message waits at its node, and the timeline says until when.
            await first.EventuallyAsync(() => first.Sent("sleeper").Count == 1);
            Assert.Equal("Code 1234", first.Sent("sleeper")[0].Content.Fields["text"]);
            var deferred = Assert.Single(await first.MessagesAsync("sleeper"), m => Text(m, "status") == "suppressed");
            Assert.Equal(("nightly", "quiet_hours", endOfQuiet), (Text(deferred, "node"), Text(deferred, "reason"), deferred.GetProperty("until").GetDateTimeOffset()));
            messageId = Text(deferred, "messageId")!;
            var waiting = Assert.Single((await first.Segment.Customer("sleeper")).GetProperty("activeJourneys").EnumerateArray());
            Assert.Equal("nightly", Text(waiting, "node"));
        }

        // The wait is on disk: after a restart nothing goes out a second before quiet hours end, and the message does at their end.
        clock.Advance(endOfQuiet.AddSeconds(-1) - clock.GetUtcNow());
        await using var second = await RulesNode.StartAsync(clock, data.Path);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(second.Sent("sleeper"));
        clock.Advance(TimeSpan.FromSeconds(1));
        await second.EventuallyAsync(() => second.Sent("sleeper").Count == 1);

        var sent = Assert.Single(second.Sent("sleeper"));
        Assert.Equal(("Good morning", messageId), (sent.Content.Fields["text"], sent.MessageId));
        var timeline = await second.EventuallyItemsAsync("sleeper", items => items.Any(i => Text(i, "kind") == "message" && Text(i, "node") == "nightly" && Text(i, "status") == "sent"));
        Assert.Equal(messageId, Text(timeline.Single(i => Text(i, "kind") == "message" && Text(i, "node") == "nightly" && Text(i, "status") == "sent"), "messageId"));
        Assert.Single(timeline, i => Text(i, "kind") == "exited" && Text(i, "journey") == nightly.Id);
        var stats = await second.StatsAsync(nightly.Id, s => Sent(s, "nightly") == 1);
        Assert.Equal((1, 1), (Suppressed(stats, "nightly", "quiet_hours"), Sent(stats, "nightly")));
    }

    [Fact]
    public async Task A_journey_paused_when_quiet_hours_end_sends_nothing_until_it_is_resumed()
    {
        var night = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);
        await using var node = await RulesNode.StartAsync(night);
        var journey = await node.PublishAsync("""
            [ { "id": "morning", "type": "send", "channel": "push", "template": { "title": "Morning", "body": "…" }, "next": "done" }, { "id": "done", "type": "exit" } ]
            """);
        await node.Segment.Send("identify", new { userId = "late", traits = new { pushToken = "token-late" } });
        await node.Segment.Send("track", new { userId = "late", @event = journey.Trigger });
        await node.EventuallyItemsAsync("late", items => items.Any(i => Text(i, "kind") == "message" && Text(i, "reason") == "quiet_hours"));

        await DesignTeam.ExpectAsync(await node.Team.Designer.PostAsync($"/api/journeys/{journey.Id}/pause", null), HttpStatusCode.OK);
        node.Clock.Advance(TimeSpan.FromHours(10)); // 09:00 UTC, quiet hours over
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(node.Sent("late"));

        await DesignTeam.ExpectAsync(await node.Team.Designer.PostAsync($"/api/journeys/{journey.Id}/resume", null), HttpStatusCode.OK);
        node.Clock.Advance(TimeSpan.FromMinutes(1)); // a held run looks again every minute
        await node.EventuallyAsync(() => node.Sent("late").Count == 1);
        Assert.Equal("token-late", node.Sent("late")[0].Address);
    }

    private static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement All(JsonElement stats, string node) => stats.GetProperty("messages").GetProperty(node).GetProperty("all");

    private static long Sent(JsonElement stats, string node) => All(stats, node).GetProperty("sent").GetInt64();

    private static long Suppressed(JsonElement stats, string node, string reason) =>
        All(stats, node).GetProperty("suppressed").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    /// <summary>A single node with a fake business clock and a recording channel for email, sms, push and webhook.</summary>
    private sealed class RulesNode : IAsyncDisposable
    {
        private readonly ScratchDirectory? ownData;

        private RulesNode(FakeTimeProvider clock, string dataPath, ScratchDirectory? ownData)
        {
            Clock = clock;
            this.ownData = ownData;
            Host = new GatewayHost(dataPath, extraServices: services =>
            {
                services.AddSingleton(new WaymarkClock(clock));
                foreach (var channel in new[] { Channel.Email, Channel.Sms, Channel.Push, Channel.Webhook })
                {
                    services.AddKeyedSingleton<IMessageChannel>(channel, Recorded);
                }
            });
        }

        public FakeTimeProvider Clock { get; }

        public GatewayHost Host { get; }

        public RecordingChannel Recorded { get; } = new();

        public Segment Segment { get; private set; } = null!;

        public DesignTeam Team { get; private set; } = null!;

        public static Task<RulesNode> StartAsync(DateTimeOffset now)
        {
            var data = new ScratchDirectory();
            return StartAsync(new RulesNode(new FakeTimeProvider(now), data.Path, data));
        }

        public static Task<RulesNode> StartAsync(FakeTimeProvider clock, string dataPath) => StartAsync(new RulesNode(clock, dataPath, ownData: null));

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            ownData?.Dispose();
        }

        /// <summary>Replaces the workspace settings (omitted fields take their defaults), and lets the silo's settings cache see them.</summary>
        public async Task SettingsAsync(object settings)
        {
            await DesignTeam.ExpectAsync(await Team.Admin.PutAsJsonAsync("/api/workspace/settings", settings), HttpStatusCode.OK);
            Clock.Advance(WorkspaceSettingsCache.RefreshPeriod);
        }

        /// <summary>Publishes a journey of <paramref name="nodes"/>, entered on every <paramref name="trigger"/> event (a fresh name if none).</summary>
        public async Task<(string Id, string Trigger)> PublishAsync(string nodes, string? trigger = null)
        {
            var id = Segment.NewId("rules");
            trigger ??= Segment.NewId("go");
            var start = JsonNode.Parse(nodes)![0]!["id"]!.GetValue<string>();
            await Team.PublishAsync(id, JsonNode.Parse($$"""
                { "name": "Rules", "trigger": { "type": "event", "event": "{{trigger}}" }, "entry": { "reentry": "always" },
                  "start": "{{start}}", "nodes": {{nodes}} }
                """)!);
            return (id, trigger);
        }

        public List<OutgoingMessage> Sent(string user) => [.. Recorded.Messages.Where(m => m.UserId == user)];

        public async Task<JsonElement[]> MessagesAsync(string user) =>
            [.. (await Segment.Timeline(user)).Where(i => Text(i, "kind") == "message")];

        public async Task<JsonElement[]> EventuallyItemsAsync(string user, Func<JsonElement[], bool> done)
        {
            var items = await Poll.Until(() => Segment.Timeline(user), done);
            Assert.True(done(items), $"the timeline of {user} never got there: {string.Join(", ", items.Select(i => i.GetRawText()))}");
            return items;
        }

        public async Task EventuallyAsync(Func<bool> done)
        {
            await Poll.Until(() => Task.FromResult(done()), d => d);
            Assert.True(done(), $"the expected messages did not arrive; recorded: {string.Join(", ", Recorded.Messages.Select(m => $"{m.UserId}/{m.NodeId}"))}");
        }

        public async Task<JsonElement> StatsAsync(string journeyId, Func<JsonElement, bool> done)
        {
            var stats = await Poll.Until(() => Team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{journeyId}/stats"), s =>
            {
                try
                {
                    return done(s);
                }
                catch (KeyNotFoundException)
                {
                    return false; // a counter not flushed yet
                }
            });
            Assert.True(done(stats), $"the stats never got there: {stats.GetRawText()}");
            return stats;
        }

        private static async Task<RulesNode> StartAsync(RulesNode node)
        {
            var (writeKey, adminKey) = node.Host.BootstrapKeys();
            node.Segment = new Segment(node.Host, writeKey, adminKey);
            node.Team = await DesignTeam.JoinAsync(node.Host, writeKey, adminKey);
            return node;
        }
    }
}
