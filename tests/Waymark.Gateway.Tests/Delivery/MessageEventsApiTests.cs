using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Inbox;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// <c>POST /v1/messages/{id}/events</c> (api.md §5): a receiver's feedback finds its message by id alone, counts once per
/// type and message, shows on the customer's timeline and in the journey's stats, and is refused clearly when it is wrong.
/// </summary>
public sealed class MessageEventsApiTests(SingleNode node) : IClassFixture<SingleNode>
{
    [Fact]
    public async Task Each_type_of_event_counts_once_per_message_and_shows_on_the_timeline_and_in_the_stats()
    {
        var (workspace, journey, customer, messageId) = await SentInAppAsync();

        Assert.True(await Report(workspace, messageId, "delivered"));
        Assert.False(await Report(workspace, messageId, "delivered"));
        Assert.True(await Report(workspace, messageId, "opened"));
        Assert.True(await Report(workspace, messageId, "clicked"));
        Assert.True(await Report(workspace, messageId, "bounced"));
        Assert.False(await Report(workspace, messageId, "bounced"));

        var timeline = await workspace.Segment.Timeline(customer);
        var statuses = timeline.Where(i => i.GetProperty("kind").GetString() == "message").Select(i => i.GetProperty("status").GetString()).ToList();
        Assert.Equal(["failed", "clicked", "opened", "delivered", "sent"], statuses);
        var bounce = timeline.First(i => i.GetProperty("kind").GetString() == "message");
        Assert.Equal("bounced", bounce.GetProperty("reason").GetString());
        Assert.Equal(messageId, bounce.GetProperty("messageId").GetString());
        Assert.Equal("notify", bounce.GetProperty("node").GetString());

        var all = await Poll.Until(
            async () => (await workspace.Team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{journey}/stats")).GetProperty("messages").GetProperty("notify").GetProperty("all"),
            a => a.GetProperty("failed").GetInt64() == 1);
        Assert.Equal((1, 1, 1, 1, 1), (all.GetProperty("sent").GetInt64(), all.GetProperty("delivered").GetInt64(), all.GetProperty("opened").GetInt64(),
            all.GetProperty("clicked").GetInt64(), all.GetProperty("failed").GetInt64()));
    }

    [Fact]
    public async Task An_unsubscribed_event_turns_the_channel_off_for_marketing()
    {
        var (workspace, _, customer, messageId) = await SentInAppAsync();

        Assert.True(await Report(workspace, messageId, "unsubscribed"));

        var profile = await workspace.Segment.Customer(customer);
        Assert.False(profile.GetProperty("subscriptions").GetProperty("inapp").GetBoolean());
    }

    [Fact]
    public async Task Reading_an_in_app_message_in_the_inbox_is_its_open()
    {
        var workspace = await DeliveryWorkspace.JoinAsync(node.Host, "default", node.WriteKey, node.AdminKey);
        var trigger = Segment.NewId("ordered");
        var journey = await workspace.PublishSendAsync(trigger, "inapp", new JsonObject { ["title"] = "Thanks", ["body"] = "b" });
        var customer = Segment.NewId("u");
        await workspace.Segment.Send("track", new { userId = customer, @event = trigger });
        var messageId = (await workspace.MessagesAsync(customer, m => m.Length > 0)).Single().GetProperty("messageId").GetString()!;
        var reader = await new InboxApp(node.Host, node.WriteKey, node.AdminKey).ReaderFor(customer);

        Assert.Equal(HttpStatusCode.NoContent, (await reader.PostAsync(InboxApp.ReadPath(customer, messageId), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reader.PostAsync(InboxApp.ReadPath(customer, messageId), null)).StatusCode);

        Assert.Single(await workspace.Segment.Timeline(customer), i => i.GetProperty("kind").GetString() == "message" && i.GetProperty("status").GetString() == "opened");
        var all = await Poll.Until(
            async () => (await workspace.Team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{journey}/stats")).GetProperty("messages").GetProperty("notify").GetProperty("all"),
            a => a.GetProperty("opened").GetInt64() == 1);
        Assert.Equal(1, all.GetProperty("opened").GetInt64());
    }

    [Fact]
    public async Task A_message_sent_before_its_customer_was_merged_is_found_through_the_survivor()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var trigger = Segment.NewId("ordered");
        await workspace.PublishSendAsync(trigger, "inapp", new JsonObject { ["title"] = "Thanks", ["body"] = "b" });
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        await workspace.Segment.Send("track", new { anonymousId = anonymous, @event = trigger });
        var messageId = (await workspace.MessagesAsync(anonymous, m => m.Length > 0)).Single().GetProperty("messageId").GetString()!;

        await workspace.Segment.Send("identify", new { anonymousId = anonymous, userId = user });

        Assert.True(await Report(workspace, messageId, "opened"));
        Assert.Contains(await workspace.Segment.Timeline(user), i => i.GetProperty("kind").GetString() == "message" && i.GetProperty("status").GetString() == "opened");
    }

    [Fact]
    public async Task Wrong_events_are_refused_with_the_field_at_fault_and_change_nothing()
    {
        var (workspace, _, customer, messageId) = await SentInAppAsync();
        var before = (await workspace.Segment.Timeline(customer)).Length;

        await Expect(workspace.Segment.Writer, messageId, """{"type": "exploded"}""", HttpStatusCode.BadRequest, "$.type");
        await Expect(workspace.Segment.Writer, messageId, """{}""", HttpStatusCode.BadRequest, "$.type");
        await Expect(workspace.Segment.Writer, messageId, """{"type": 3}""", HttpStatusCode.BadRequest, "$.type");
        await Expect(workspace.Segment.Writer, messageId, """{"type": "opened", "extra": 1}""", HttpStatusCode.BadRequest, "$.extra");
        await Expect(workspace.Segment.Writer, messageId, """{"type": """, HttpStatusCode.BadRequest, null);
        await Expect(workspace.Segment.Writer, new string('m', 400), """{"type": "opened"}""", HttpStatusCode.BadRequest, "messageId");
        await Expect(workspace.Segment.Writer, "no-such-message", """{"type": "opened"}""", HttpStatusCode.NotFound, null);

        // Keys: an API key is not a write key, no key is no caller, and another workspace's write key finds nothing.
        await Expect(workspace.Team.Admin, messageId, """{"type": "opened"}""", HttpStatusCode.Forbidden, null);
        await Expect(node.Host.CreateClient(), messageId, """{"type": "opened"}""", HttpStatusCode.Unauthorized, null);
        var other = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await Expect(other.Segment.Writer, messageId, """{"type": "opened"}""", HttpStatusCode.NotFound, null);

        Assert.Equal(before, (await workspace.Segment.Timeline(customer)).Length);
    }

    /// <summary>A workspace of its own whose journey sent one in-app message to a new customer.</summary>
    private async Task<(DeliveryWorkspace Workspace, string Journey, string Customer, string MessageId)> SentInAppAsync()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var trigger = Segment.NewId("ordered");
        var journey = await workspace.PublishSendAsync(trigger, "inapp", new JsonObject { ["title"] = "Thanks", ["body"] = "b" });
        var customer = Segment.NewId("u");
        await workspace.Segment.Send("track", new { userId = customer, @event = trigger });
        var sent = (await workspace.MessagesAsync(customer, m => m.Length > 0)).Single();
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        return (workspace, journey, customer, sent.GetProperty("messageId").GetString()!);
    }

    private static async Task<bool> Report(DeliveryWorkspace workspace, string messageId, string type) =>
        (await DesignTeam.ExpectAsync(await workspace.Segment.Writer.PostAsJsonAsync($"/v1/messages/{messageId}/events", new { type }), HttpStatusCode.OK))
            .GetProperty("counted").GetBoolean();

    private static async Task Expect(HttpClient client, string messageId, string body, HttpStatusCode status, string? field)
    {
        using var content = new StringContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync($"/v1/messages/{messageId}/events", content);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == field);
        }
    }
}
