using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Inbox;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Runtime;

public sealed class RuntimeDurabilityTests
{
    [Fact]
    public async Task A_wait_survives_a_restart_and_its_message_is_sent_once_after_it()
    {
        using var data = new ScratchDirectory();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        GatewayHost Start() => new(data.Path, extraServices: services => services.AddSingleton(new WaymarkClock(clock)));

        var first = Start();
        var (writeKey, adminKey) = first.BootstrapKeys();
        var team = await DesignTeam.JoinAsync(first, writeKey, adminKey);
        await team.PublishAsync("coupon-tomorrow", DesignTeam.Example("unpaid-order-reminder.json"));
        await new Segment(first, writeKey, adminKey).Send(
            "track", new { userId = "buyer", @event = "order_submitted", properties = new { orderId = "R-1" }, context = new { device = new { token = "buyer-device" } } });
        await first.DisposeAsync();

        // Everything the wait needs is on disk: the run in the customer's log, its wake-up in the timer table.
        clock.Advance(TimeSpan.FromDays(2));
        await using var second = Start();
        var inbox = new InboxApp(second, writeKey, adminKey);
        var segment = new Segment(second, writeKey, adminKey);
        // The ten-minute wait came due while the node was down: the push is decided after the restart; the
        // day's wait counts from then.
        await Until(segment, items => items.Any(i => i.GetProperty("kind").GetString() == "message"));
        clock.Advance(TimeSpan.FromDays(1));
        await Until(segment, items => items.Count(i => i.GetProperty("kind").GetString() == "message") == 2);

        var coupon = Assert.Single(await inbox.List("buyer"));
        Assert.Equal("Complete order R-1 today and save 10.", coupon.GetProperty("body").GetString());
        var timeline = await segment.Timeline("buyer");
        Assert.Equal("exit_node", timeline.Single(i => i.GetProperty("kind").GetString() == "exited").GetProperty("reason").GetString());

        // The push had no channel on this node: it failed once, and was not tried again.
        var messages = timeline.Where(i => i.GetProperty("kind").GetString() == "message").ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal(["failed", "sent"], messages.Select(m => m.GetProperty("status").GetString()).Order(StringComparer.Ordinal));
    }

    private static async Task Until(Segment segment, Func<System.Text.Json.JsonElement[], bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done(await segment.Timeline("buyer")) && !timeout.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
