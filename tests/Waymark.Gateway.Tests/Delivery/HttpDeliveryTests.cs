using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// Webhook, sms and push deliveries of published journeys to a real HTTP receiver on loopback: signed, carrying the
/// message id, retried in the call on a blink, failed at once on a refusal.
/// </summary>
public class HttpDeliveryTests(SingleNode node) : IClassFixture<SingleNode>
{
    private const string Secret = "whsec-0123456789abcdef-delivery";

    private static JsonObject OrderPayload() => new()
    {
        ["payload"] = new JsonObject
        {
            ["order"] = "{{ trigger.properties.orderId }}",
            ["customer"] = "{{ customer.id }}",
            ["message"] = "{{ message.id }}",
        },
    };

    [Fact]
    public async Task A_webhook_delivery_is_signed_carries_the_rendered_payload_and_the_timelines_message_id()
    {
        await using var receiver = await Receiver.StartAsync();
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customer = Segment.NewId("u");

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "W-1" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal("webhook", message.GetProperty("channel").GetString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/hook", request.Path);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal(message.GetProperty("messageId").GetString(), request.MessageId);
        Assert.True(DeliverySignature.Verify(Secret, request.Signature!, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), request.Signature);
        Assert.False(DeliverySignature.Verify("another-secret-of-some-length", request.Signature!, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", request.Signature);

        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("W-1", body.GetProperty("order").GetString());
        Assert.Equal(customer, body.GetProperty("customer").GetString());
        Assert.Equal(request.MessageId, body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Sends_over_the_channels_rate_limit_wait_for_their_turn_and_none_is_dropped()
    {
        await using var receiver = await Receiver.StartAsync();
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await DesignTeam.ExpectAsync(
            await workspace.Admin.PutAsJsonAsync("/api/channels/webhook", new { url = receiver.Url(), secret = Secret, ratePerSecond = 2 }), HttpStatusCode.OK);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customers = Enumerable.Range(0, 12).Select(_ => Segment.NewId("u")).ToList();

        await Task.WhenAll(customers.Select(c => workspace.Segment.Send("track", new { userId = c, @event = trigger, properties = new { orderId = c } })));

        // 2 at once (the burst), then one every 0.5 s: the last goes at least 5 s after the first. Without the limit all
        // twelve arrive within a second or so.
        var requests = await Poll.Until(() => Task.FromResult(receiver.Requests), r => r.Count >= customers.Count);
        Assert.Equal(customers.Count, requests.Select(r => r.MessageId).Distinct().Count());
        var span = requests.Max(r => r.At) - requests.Min(r => r.At);
        Assert.True(span >= TimeSpan.FromSeconds(4.5), $"12 sends at 2/s arrived within {span}");
        foreach (var customer in customers)
        {
            Assert.Equal("sent", Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_receiver_that_blinks_with_503_gets_the_message_once_more_with_the_same_id_and_it_is_sent_once()
    {
        await using var receiver = await Receiver.StartAsync(n => n == 0 ? new Answer(503) : Answer.Ok);
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customer = Segment.NewId("u");

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "W-2" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        await Task.Delay(1000); // nothing more comes
        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(message.GetProperty("messageId").GetString(), r.MessageId));
        Assert.Equal(receiver.Requests[0].Text, receiver.Requests[1].Text);
        Assert.Single(DeliveryWorkspace.Messages(await workspace.Segment.Timeline(customer)));
    }

    [Fact]
    public async Task A_receiver_that_holds_its_answer_does_not_hold_the_customers_events_and_the_answer_is_recorded_once()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await Receiver.StartAsync();
        receiver.Holding = n => n == 0 ? answer.Task : Task.CompletedTask;
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customer = Segment.NewId("u");
        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "W-5" } });
        await Poll.Until(() => Task.FromResult(receiver.Requests.Count), n => n > 0);

        try
        {
            // The customer takes this event while its message is with the receiver. Had the dispatch kept the customer's
            // turn, the event would wait until the channel gave up on the held request and sent it again.
            await workspace.Segment.Send("track", new { userId = customer, @event = "orders_viewed" });
            Assert.Single(receiver.Requests);
            Assert.Contains(await workspace.Segment.Timeline(customer), i => i.GetProperty("kind").GetString() == "event" && i.GetProperty("name").GetString() == "orders_viewed");
            Assert.Empty(DeliveryWorkspace.Messages(await workspace.Segment.Timeline(customer)));
        }
        finally
        {
            answer.SetResult();
        }

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal(message.GetProperty("messageId").GetString(), Assert.Single(receiver.Requests).MessageId);
    }

    [Fact]
    public async Task A_400_fails_the_message_at_once_and_it_is_never_tried_again()
    {
        await using var receiver = await Receiver.StartAsync(_ => new Answer(400));
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customer = Segment.NewId("u");

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "W-3" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("failed", message.GetProperty("status").GetString());
        Assert.Contains("400", message.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After_says()
    {
        await using var receiver = await Receiver.StartAsync(n => n == 0 ? new Answer(429, "2") : Answer.Ok);
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customer = Segment.NewId("u");

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "W-4" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal(2, receiver.Requests.Count);
        var waited = receiver.Requests[1].At - receiver.Requests[0].At;
        Assert.True(waited >= TimeSpan.FromSeconds(1.9), $"retried after {waited}");
    }

    [Fact]
    public async Task An_sms_posts_the_documented_format_to_the_provider_url()
    {
        await using var receiver = await Receiver.StartAsync();
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("sms", receiver.Url("/sms"), Secret);
        var trigger = Segment.NewId("code_requested");
        await workspace.PublishSendAsync(trigger, "sms", new JsonObject { ["text"] = "Your code is {{ trigger.properties.code }}, {{ customer.traits.name }} 😀" });
        var customer = Segment.NewId("u");
        await workspace.Segment.Send("identify", new { userId = customer, traits = new { name = "Zoë", phone = "+4915112345678" } });

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { code = "4711" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/sms", request.Path);
        Assert.True(DeliverySignature.Verify(Secret, request.Signature!, request.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(["messageId", "to", "text"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(message.GetProperty("messageId").GetString(), body.GetProperty("messageId").GetString());
        Assert.Equal(request.MessageId, body.GetProperty("messageId").GetString());
        Assert.Equal("+4915112345678", body.GetProperty("to").GetString());
        Assert.Equal("Your code is 4711, Zoë 😀", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_push_posts_the_documented_format_to_the_provider_url()
    {
        await using var receiver = await Receiver.StartAsync();
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("push", receiver.Url("/push"), Secret);
        var trigger = Segment.NewId("cart_left");
        await workspace.PublishSendAsync(trigger, "push", new JsonObject
        {
            ["title"] = "Still thinking?",
            ["body"] = "Your {{ trigger.properties.item }} is waiting",
            ["url"] = "app://cart",
        });
        var customer = Segment.NewId("u");
        await workspace.Segment.Send("identify", new { userId = customer, traits = new { pushToken = "fcm:token-123" } });

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { item = "lamp" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/push", request.Path);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(["messageId", "to", "title", "body", "url"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(request.MessageId, body.GetProperty("messageId").GetString());
        Assert.Equal("fcm:token-123", body.GetProperty("to").GetString());
        Assert.Equal("Still thinking?", body.GetProperty("title").GetString());
        Assert.Equal("Your lamp is waiting", body.GetProperty("body").GetString());
        Assert.Equal("app://cart", body.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_channel_the_workspace_has_not_configured_fails_its_messages()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", OrderPayload());
        var customer = Segment.NewId("u");

        await workspace.Segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "W-5" } });

        var message = Assert.Single(await workspace.MessagesAsync(customer, m => m.Length > 0));
        Assert.Equal("failed", message.GetProperty("status").GetString());
        Assert.Equal("no webhook channel is configured", message.GetProperty("reason").GetString());
    }

    // The channel alone, dispatching by hand through the embedded silo's registry: how each answer is mapped.

    [Theory]
    [InlineData(200, null, DispatchStatus.Sent, null)]
    [InlineData(204, null, DispatchStatus.Sent, null)]
    [InlineData(404, null, DispatchStatus.Failed, null)]
    [InlineData(422, null, DispatchStatus.Failed, null)]
    [InlineData(301, null, DispatchStatus.Failed, null)]
    [InlineData(429, "3600", DispatchStatus.Retry, 3600)]
    [InlineData(503, "600", DispatchStatus.Retry, 600)]
    public async Task Each_answer_of_the_receiver_maps_to_sent_retry_or_failed(int status, string? retryAfter, DispatchStatus expected, int? expectedRetryAfter)
    {
        await using var receiver = await Receiver.StartAsync(_ => new Answer(status, retryAfter));
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var id = workspace.Id;
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);

        var result = await ChannelFor(Channel.Webhook).DispatchAsync(Webhook(id, "m-" + status), CancellationToken.None);

        Assert.Equal(expected, result.Status);
        Assert.Equal(expectedRetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null, result.RetryAfter);
        Assert.Single(receiver.Requests); // a long Retry-After is left to the durable redelivery; a refusal is not repeated
        if (expected != DispatchStatus.Sent)
        {
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_receiver_that_cannot_be_reached_is_retried_later()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var id = workspace.Id;
        await workspace.ConfigureAsync("webhook", new Uri($"http://127.0.0.1:{Waymark.Testing.FreePort.Next()}/nobody"), Secret);

        var result = await ChannelFor(Channel.Webhook).DispatchAsync(Webhook(id, "m-unreachable"), CancellationToken.None);

        Assert.Equal(DispatchStatus.Retry, result.Status);
        Assert.Contains("could not be reached", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sms_to_a_customer_without_a_phone_number_fails()
    {
        await using var receiver = await Receiver.StartAsync();
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var id = workspace.Id;
        await workspace.ConfigureAsync("sms", receiver.Url(), Secret);

        var result = await ChannelFor(Channel.Sms).DispatchAsync(
            Webhook(id, "m-sms") with { Channel = Channel.Sms, Content = new(ImmutableDictionary<string, string>.Empty.Add(ChannelFields.Text, "hi"), null) },
            CancellationToken.None);

        Assert.Equal(DispatchResult.Failed("the customer has no phone number"), result);
        Assert.Empty(receiver.Requests);
    }

    private IMessageChannel ChannelFor(Channel channel) => node.Host.Services.GetRequiredService<MessageChannels>().Find(channel)!;

    private static OutgoingMessage Webhook(string workspace, string messageId) => new(
        workspace, "u:ada", "ada", messageId, "journey", "notify", Channel.Webhook, null,
        new RenderedContent(ImmutableDictionary<string, string>.Empty, """{"hello":"world"}"""), DateTimeOffset.UtcNow);
}
