using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Delivery;
using Waymark.Gateway.Tests.Inbox;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Grains.Delivery;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>
/// The contract's example journeys, run end to end over HTTP on a single node whose business clock is
/// fake: days pass in milliseconds, the timer wheel fires what came due, sms, push and webhook messages
/// land in a recording channel and in-app ones in the real inbox.
/// </summary>
public sealed class ExampleJourneyTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly ScratchDirectory data = new();
    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingChannel recorded = new();
    private GatewayHost host = null!;
    private Segment segment = null!;
    private InboxApp inbox = null!;
    private DesignTeam team = null!;

    public async Task InitializeAsync()
    {
        host = new GatewayHost(data.Path, extraServices: services =>
        {
            services.AddSingleton(new WaymarkClock(clock));
            foreach (var channel in new[] { Channel.Sms, Channel.Push, Channel.Webhook })
            {
                services.AddKeyedSingleton<IMessageChannel>(channel, recorded);
            }
        });
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
    public async Task Test_drive_follow_up_reminds_welcomes_asks_and_alerts_on_a_low_score_and_hands_no_shows_to_the_call_centre()
    {
        await team.PublishAsync("test-drive", DesignTeam.Example("test-drive-followup.json"));
        var booking = Start.AddDays(3).AddHours(7); // 4 December, 15:00 UTC
        foreach (var (user, phone) in new[] { ("visitor", "+8613800000001"), ("no-show", "+8613800000002") })
        {
            await segment.Send("identify", new { userId = user, traits = new { name = user, phone } });
            await segment.Send("track", new { userId = user, @event = "test_drive_booked", properties = new { bookingTime = booking, model = "Model Y", store = "Pudong" } });
        }

        // The day before at 10:00 (the workspace's time zone, UTC): the reminder.
        PassUntil(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        await Eventually(() => Sent("visitor").Count == 1 && Sent("no-show").Count == 1);
        Assert.Equal("Hi visitor, see you tomorrow for your Model Y test drive at Pudong.", Sent("visitor")[0].Content.Field("text"));

        // The visitor arrives; the next day they are asked for a rating and give a low one.
        await segment.Send("track", new { userId = "visitor", @event = "store_visited" });
        await Eventually(() => Sent("visitor").Count == 2);
        Assert.StartsWith("Welcome!", Sent("visitor")[1].Content.Field("text"), StringComparison.Ordinal);
        Pass(TimeSpan.FromDays(1));
        await Eventually(() => Sent("visitor").Count == 3);
        // The rating link is tracked: a click link whose token leads to the dealer's page.
        var rate = System.Text.RegularExpressions.Regex.Match(Sent("visitor")[2].Content.Field("text")!, "/c/([A-Za-z0-9_.-]+)$");
        Assert.True(rate.Success, Sent("visitor")[2].Content.Field("text"));
        Assert.Equal("https://dealer.example/rate", (await host.Services.GetRequiredService<TrackingLinks>().VerifyAsync(rate.Groups[1].Value, TrackingPurpose.Click))?.Value);
        await segment.Send("track", new { userId = "visitor", @event = "service_rated", properties = new { score = 4 } });
        await Eventually(() => Sent("visitor").Count == 5);
        Assert.StartsWith("We are sorry", Sent("visitor")[3].Content.Field("text"), StringComparison.Ordinal);
        var alert = JsonNode.Parse(Sent("visitor")[4].Content.Payload!)!;
        Assert.Equal("follow_up_low_score", alert["task"]!.GetValue<string>());
        Assert.Equal("4", alert["score"]!.GetValue<string>());

        // The no-show never came: two days after the reminder, and not before, the call centre gets a task.
        Assert.Single(Sent("no-show"));
        Pass(TimeSpan.FromDays(1));
        await Eventually(() => Sent("no-show").Count == 2);
        var task = JsonNode.Parse(Sent("no-show")[1].Content.Payload!)!;
        Assert.Equal("outbound_call", task["task"]!.GetValue<string>());
        Assert.Equal("+8613800000002", task["phone"]!.GetValue<string>());

        foreach (var user in new[] { "visitor", "no-show" })
        {
            Assert.Empty((await segment.Customer(user)).GetProperty("activeJourneys").EnumerateArray());
            var exited = (await segment.Timeline(user)).Single(i => i.GetProperty("kind").GetString() == "exited");
            Assert.Equal("exit_node", exited.GetProperty("reason").GetString());
        }

        Assert.Equal(recorded.Messages.Count, recorded.Messages.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Unpaid_order_reminder_pushes_after_ten_minutes_offers_a_coupon_a_day_later_and_ends_when_that_order_is_paid()
    {
        await team.PublishAsync("unpaid-order", DesignTeam.Example("unpaid-order-reminder.json"));
        // The app's events carry its push token: the customer's push address (canvas.md "Sending rules").
        var app = new { device = new { token = "buyer-device" } };
        await segment.Send("track", new { userId = "buyer", @event = "order_submitted", properties = new { orderId = "O-1" }, context = app });
        await segment.Send("track", new { userId = "buyer", @event = "order_submitted", properties = new { orderId = "O-2" }, context = app });

        Pass(TimeSpan.FromMinutes(10));
        await Eventually(() => Sent("buyer").Count == 2);
        Assert.Equal(["Order O-1 is reserved for you. Pay now.", "Order O-2 is reserved for you. Pay now."],
            Sent("buyer").Select(m => m.Content.Field("body")).Order(StringComparer.Ordinal));

        // Paying O-2 ends its run at once and counts as its goal; O-1 goes on to the coupon.
        await segment.Send("track", new { userId = "buyer", @event = "order_paid", properties = new { orderId = "O-2" } });
        var runs = (await segment.Customer("buyer")).GetProperty("activeJourneys");
        Assert.Equal(1, runs.GetArrayLength());
        Assert.Equal("one-day", runs[0].GetProperty("node").GetString());

        Pass(TimeSpan.FromDays(1));
        var coupon = Assert.Single(await EventuallyList(() => inbox.List("buyer")));
        Assert.Equal("Complete order O-1 today and save 10.", coupon.GetProperty("body").GetString());

        var timeline = await segment.Timeline("buyer");
        Assert.Single(timeline, i => i.GetProperty("kind").GetString() == "goal");
        Assert.Equal(["exit_criterion", "exit_node"], timeline.Where(i => i.GetProperty("kind").GetString() == "exited")
            .Select(i => i.GetProperty("reason").GetString()).Order(StringComparer.Ordinal));
    }

    private List<OutgoingMessage> Sent(string user) => [.. recorded.Messages.Where(m => m.UserId == user)];

    private void PassUntil(DateTimeOffset at) => Pass(at - clock.GetUtcNow());

    /// <summary>Moves the business clock; the wheel polls in real time and fires what came due.</summary>
    private void Pass(TimeSpan span) => clock.Advance(span);

    private static async Task Eventually(Func<bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done() && !timeout.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
        }

        Assert.True(done(), "the expected messages did not arrive");
    }

    private static async Task<System.Text.Json.JsonElement[]> EventuallyList(Func<Task<System.Text.Json.JsonElement[]>> read)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var items = await read();
        while (items.Length == 0 && !timeout.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
            items = await read();
        }

        return items;
    }
}
