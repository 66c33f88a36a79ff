using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Runtime;
using Waymark.Grains.Timers;
using Waymark.Model.Time;
using Waymark.Storage.Timers;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// The runtime's durable redelivery of webhook messages, on a node whose business clock is fake: a long
/// <c>Retry-After</c> is waited out in the timer wheel, a message still refused 24 h after its send fails, and a retry
/// pending at a restart, or a message still with its receiver at a stop, goes out after it with the same message id.
/// </summary>
public sealed class HttpRedeliveryTests : IAsyncLifetime
{
    private const string Secret = "whsec-redelivery-0123456789";

    private readonly ScratchDirectory data = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
    private Receiver receiver = null!;

    public async Task InitializeAsync() => receiver = await Receiver.StartAsync();

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_long_Retry_After_is_waited_out_durably_and_then_the_message_is_sent()
    {
        receiver.Answers = n => n == 0 ? new Answer(429, "120") : Answer.Ok;
        await using var host = Start();
        var (workspace, trigger) = await Publish(host);

        await workspace.Segment.Send("track", new { userId = "ada", @event = trigger, properties = new { orderId = "R-1" } });
        await RedeliveryScheduledAsync(host, clock.GetUtcNow() + TimeSpan.FromSeconds(120));

        clock.Advance(TimeSpan.FromSeconds(100));
        await Task.Delay(1500); // several polls of the wheel: nothing is due yet
        Assert.Single(receiver.Requests);
        Assert.Empty(DeliveryWorkspace.Messages(await workspace.Segment.Timeline("ada")));

        clock.Advance(TimeSpan.FromSeconds(30));
        var message = Assert.Single(await workspace.MessagesAsync("ada", m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(message.GetProperty("messageId").GetString(), r.MessageId));
    }

    [Fact]
    public async Task A_message_still_refused_24_hours_after_its_send_fails_with_the_reason()
    {
        receiver.Answers = _ => new Answer(429, "600");
        await using var host = Start();
        var (workspace, trigger) = await Publish(host);

        await workspace.Segment.Send("track", new { userId = "ada", @event = trigger, properties = new { orderId = "R-2" } });
        await RedeliveryScheduledAsync(host, clock.GetUtcNow() + TimeSpan.FromSeconds(600));
        clock.Advance(TimeSpan.FromHours(25));

        var message = Assert.Single(await workspace.MessagesAsync("ada", m => m.Length > 0));
        Assert.Equal("failed", message.GetProperty("status").GetString());
        Assert.Equal("not delivered within 24 h: the receiver answered 429 Too Many Requests", message.GetProperty("reason").GetString());
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_retry_pending_at_a_restart_goes_out_after_it_with_the_same_message_id_once()
    {
        receiver.Answers = n => n == 0 ? new Answer(503, "60") : Answer.Ok;
        var first = Start();
        var (workspace, trigger) = await Publish(first);
        await workspace.Segment.Send("track", new { userId = "ada", @event = trigger, properties = new { orderId = "R-3" } });
        await Poll.Until(() => Task.FromResult(receiver.Requests.Count), n => n > 0);
        await first.DisposeAsync();

        // The message is in the customer's outbox on disk, its wake-up in the timer table.
        await AssertSentOnceAfterARestartAsync();
    }

    [Fact]
    public async Task A_message_whose_answer_never_came_before_a_stop_goes_out_after_the_restart_with_the_same_id_once()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Holding = n => n == 0 ? answer.Task : Task.CompletedTask;
        try
        {
            var first = Start();
            var (workspace, trigger) = await Publish(first);
            await workspace.Segment.Send("track", new { userId = "ada", @event = trigger, properties = new { orderId = "R-4" } });
            await Poll.Until(() => Task.FromResult(receiver.Requests.Count), n => n > 0);
            // The customer's turn ended while the receiver held the message: the wake-up that woke it is gone, and the
            // one standing in for it is what brings the message back after the restart.
            await workspace.Segment.Send("track", new { userId = "ada", @event = "orders_viewed" });
            await first.DisposeAsync();
        }
        finally
        {
            answer.SetResult();
        }

        await AssertSentOnceAfterARestartAsync();
    }

    /// <summary>
    /// Two minutes later, a restarted node sends ada's one message once more, with the id it had before, and records it
    /// sent once. (A stopping node may try it again too, as its calls are cut: the same id, never recorded.)
    /// </summary>
    private async Task AssertSentOnceAfterARestartAsync()
    {
        clock.Advance(TimeSpan.FromMinutes(2));
        var restarted = DateTimeOffset.UtcNow;
        await using var second = Start();
        var (writeKey, adminKey) = second.BootstrapKeys();
        var again = await DeliveryWorkspace.JoinAsync(second, "default", writeKey, adminKey);

        var message = Assert.Single(await again.MessagesAsync("ada", m => m.Length > 0));
        Assert.Equal("sent", message.GetProperty("status").GetString());
        await Task.Delay(1000);
        Assert.Single(receiver.Requests, r => r.At >= restarted);
        Assert.All(receiver.Requests, r => Assert.Equal(message.GetProperty("messageId").GetString(), r.MessageId));
        Assert.Single(DeliveryWorkspace.Messages(await again.Segment.Timeline("ada")));
    }

    /// <summary>
    /// Waits until ada has taken the receiver's first answer: her outbox's redelivery, at <paramref name="at"/>, is in
    /// the timer table. The request reaches the receiver before its answer reaches ada, so a test that moved the clock
    /// on seeing the request could have the Retry-After counted from the moved clock.
    /// </summary>
    private static async Task RedeliveryScheduledAsync(GatewayHost host, DateTimeOffset at)
    {
        var timers = host.Services.GetRequiredService<ITimerStore>();
        var shards = host.Services.GetRequiredService<IOptions<TimerWheelOptions>>().Value.Shards;
        var scheduled = await Poll.Until(
            async () => (await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => timers.DueAsync(shard, at.AddDays(1), limit: 100))))
                .SelectMany(due => due).Any(wakeUp => wakeUp.Tag == "outbox" && wakeUp.Due >= at.AddSeconds(-1)),
            scheduled => scheduled);
        Assert.True(scheduled, $"ada's redelivery at {at:O} is not in the timer table");
    }

    private GatewayHost Start() => new(data.Path, extraServices: services => services.AddSingleton(new WaymarkClock(clock)));

    private async Task<(DeliveryWorkspace Workspace, string Trigger)> Publish(GatewayHost host)
    {
        var (writeKey, adminKey) = host.BootstrapKeys();
        var workspace = await DeliveryWorkspace.JoinAsync(host, "default", writeKey, adminKey);
        await workspace.ConfigureAsync("webhook", receiver.Url(), Secret);
        var trigger = Segment.NewId("order_placed");
        await workspace.PublishSendAsync(trigger, "webhook", new JsonObject
        {
            ["payload"] = new JsonObject { ["order"] = "{{ trigger.properties.orderId }}" },
        });
        return (workspace, trigger);
    }
}
