using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Inbox;
using Waymark.Gateway.Tests.Journeys;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>Published journeys run for real customers over HTTP: events enter them, the timer wheel moves them on, the inbox receives their messages.</summary>
public class JourneyRuntimeTests(SingleNode node) : IClassFixture<SingleNode>, IAsyncLifetime
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);
    private readonly InboxApp inbox = new(node.Host, node.WriteKey, node.AdminKey);
    private DesignTeam team = null!;

    public async Task InitializeAsync() => team = await DesignTeam.JoinAsync(node);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A short unpaid-order reminder: a real wait of two seconds, then an in-app message, each order on its own.</summary>
    private static JsonNode UnpaidOrder(string trigger) => JsonNode.Parse($$$"""
        {
          "name": "Unpaid order (short)",
          "trigger": { "type": "event", "event": "{{{trigger}}}", "where": { "property": "orderId", "op": "exists" } },
          "entry": { "reentry": "always" },
          "exitWhen": [ { "event": "order_paid", "where": { "property": "orderId", "op": "eq", "value": { "path": "trigger.properties.orderId" } } } ],
          "start": "wait",
          "nodes": [
            { "id": "wait", "type": "wait", "duration": "PT2S", "next": "remind" },
            { "id": "remind", "type": "send", "channel": "inapp", "category": "transactional",
              "template": { "title": "Order {{ trigger.properties.orderId }} is waiting", "body": "Hi {{ customer.traits.name | default: 'there' }}" },
              "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    [Fact]
    public async Task A_customer_who_does_not_pay_gets_the_reminder_and_one_who_pays_leaves_at_once()
    {
        var trigger = Segment.NewId("order_submitted");
        await team.PublishAsync(Segment.NewId("unpaid"), UnpaidOrder(trigger));
        var slow = Segment.NewId("u");
        var quick = Segment.NewId("u");
        await segment.Send("identify", new { userId = slow, traits = new { name = "Ada" } });
        await segment.Send("track", new { userId = slow, @event = trigger, properties = new { orderId = "A-1" } });
        await segment.Send("track", new { userId = quick, @event = trigger, properties = new { orderId = "B-1" } });
        await segment.Send("track", new { userId = quick, @event = "order_paid", properties = new { orderId = "B-0" } });

        // Paying another order changes nothing; paying this one ends the run.
        Assert.Single((await segment.Customer(quick)).GetProperty("activeJourneys").EnumerateArray());
        await segment.Send("track", new { userId = quick, @event = "order_paid", properties = new { orderId = "B-1" } });
        Assert.Empty((await segment.Customer(quick)).GetProperty("activeJourneys").EnumerateArray());
        var quickExit = (await segment.Timeline(quick)).Single(i => i.GetProperty("kind").GetString() == "exited");
        Assert.Equal("exit_criterion", quickExit.GetProperty("reason").GetString());
        Assert.Equal("wait", quickExit.GetProperty("node").GetString());

        var waiting = Assert.Single((await segment.Customer(slow)).GetProperty("activeJourneys").EnumerateArray());
        Assert.Equal("wait", waiting.GetProperty("node").GetString());

        var message = Assert.Single(await Poll.Until(async () => await inbox.List(slow), messages => messages.Length > 0));
        Assert.Equal("Order A-1 is waiting", message.GetProperty("title").GetString());
        Assert.Equal("Hi Ada", message.GetProperty("body").GetString());

        var timeline = await Poll.Until(() => segment.Timeline(slow), items => items.Any(i => i.GetProperty("kind").GetString() == "message"));
        var kinds = timeline.Select(i => i.GetProperty("kind").GetString()).Where(k => k != "event" && k != "profile").Reverse().ToList();
        // The send step and the exit are one round; the channel's answer is recorded just after it.
        Assert.Equal(["entered", "moved", "moved", "exited", "message"], kinds);
        var sent = timeline.Single(i => i.GetProperty("kind").GetString() == "message");
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(message.GetProperty("id").GetString(), sent.GetProperty("messageId").GetString());
        Assert.Equal("exit_node", timeline.Single(i => i.GetProperty("kind").GetString() == "exited").GetProperty("reason").GetString());
        Assert.Empty((await segment.Customer(slow)).GetProperty("activeJourneys").EnumerateArray());
        Assert.Empty(await inbox.List(quick));
    }

    [Fact]
    public async Task Every_order_runs_on_its_own_and_a_repeated_event_enters_once()
    {
        var trigger = Segment.NewId("order_submitted");
        await team.PublishAsync(Segment.NewId("unpaid"), UnpaidOrder(trigger));
        var customer = Segment.NewId("u");
        await segment.Send("track", new { userId = customer, messageId = "m-1", @event = trigger, properties = new { orderId = "C-1" } });
        await segment.Send("track", new { userId = customer, messageId = "m-1", @event = trigger, properties = new { orderId = "C-1" } });
        await segment.Send("track", new { userId = customer, messageId = "m-2", @event = trigger, properties = new { orderId = "C-2" } });

        Assert.Equal(2, (await segment.Customer(customer)).GetProperty("activeJourneys").GetArrayLength());
        var messages = await Poll.Until(() => inbox.List(customer), m => m.Length == 2);
        Assert.Equal(["Order C-1 is waiting", "Order C-2 is waiting"], messages.Select(m => m.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Enrolment_enters_known_customers_of_an_api_journey_once()
    {
        var canvas = UnpaidOrder("unused");
        canvas["trigger"] = new JsonObject { ["type"] = "api" };
        canvas["entry"] = new JsonObject { ["reentry"] = "never" };
        canvas.AsObject().Remove("exitWhen");
        var journey = Segment.NewId("api");
        await team.PublishAsync(journey, canvas);
        var known = Segment.NewId("u");
        await segment.Send("identify", new { userId = known, traits = new { name = "Grace" } });

        var response = await team.Designer.PostAsJsonAsync($"/api/journeys/{journey}/enroll", new { customerIds = new[] { known, "nobody-knows-me" } });
        var results = (await DesignTeam.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("customerId").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("enrolled", results[known]);
        Assert.Equal("not_found", results["nobody-knows-me"]);

        var again = await DesignTeam.ExpectAsync(await team.Designer.PostAsJsonAsync($"/api/journeys/{journey}/enroll", new { customerIds = new[] { known } }), HttpStatusCode.OK);
        Assert.Equal("not_eligible", again.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal("Hi Grace", Assert.Single(await Poll.Until(() => inbox.List(known), m => m.Length > 0)).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Archiving_ends_a_waiting_run_at_its_next_step_and_sends_nothing()
    {
        var trigger = Segment.NewId("order_submitted");
        var journey = Segment.NewId("unpaid");
        await team.PublishAsync(journey, UnpaidOrder(trigger));
        var customer = Segment.NewId("u");
        await segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "D-1" } });
        await DesignTeam.ExpectAsync(await team.Admin.PostAsync($"/api/journeys/{journey}/archive", null), HttpStatusCode.OK);

        var timeline = await Poll.Until(() => segment.Timeline(customer), items => items.Any(i => i.GetProperty("kind").GetString() == "exited"));
        var exited = timeline.Single(i => i.GetProperty("kind").GetString() == "exited");
        Assert.Equal("archived", exited.GetProperty("reason").GetString());
        Assert.Empty(await inbox.List(customer));

        // An archived journey enters nobody.
        await segment.Send("track", new { userId = customer, @event = trigger, properties = new { orderId = "D-2" } });
        Assert.Empty((await segment.Customer(customer)).GetProperty("activeJourneys").EnumerateArray());
    }

    [Fact]
    public async Task Enrolment_refuses_bad_requests_and_unknown_journeys()
    {
        await Problem.AssertAsync(await team.Designer.PostAsJsonAsync("/api/journeys/no-such-journey/enroll", new { customerIds = new[] { "u-1" } }), HttpStatusCode.NotFound);
        var problem = await Problem.AssertAsync(await team.Designer.PostAsJsonAsync("/api/journeys/no-such-journey/enroll", new { customerIds = Array.Empty<string>() }), HttpStatusCode.BadRequest);
        Assert.Equal(["$.customerIds"], Problem.ErrorPaths(problem));
        await Problem.AssertAsync(await team.Viewer.PostAsJsonAsync("/api/journeys/no-such-journey/enroll", new { customerIds = new[] { "u-1" } }), HttpStatusCode.Forbidden);
    }
}
