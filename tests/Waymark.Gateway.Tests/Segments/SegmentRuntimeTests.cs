using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Segments;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;
using Waymark.Grains;
using Waymark.Grains.Segments;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// Segments over HTTP on a node whose business clock is fake: memberships of generated customers against a brute-force
/// reading of the same data, windows that flip with time alone, the backfill of existing customers, segment triggers,
/// and the audience reads (pages, CSV, insight).
/// </summary>
public sealed class SegmentRuntimeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly ScratchDirectory data = new();
    private readonly FakeTimeProvider clock = new(Start);
    private GatewayHost host = null!;
    private Segment segment = null!;
    private DesignTeam team = null!;

    public async Task InitializeAsync()
    {
        host = new GatewayHost(data.Path, extraServices: services => services.AddSingleton(new WaymarkClock(clock)));
        var (writeKey, adminKey) = host.BootstrapKeys();
        segment = new Segment(host, writeKey, adminKey);
        team = await DesignTeam.JoinAsync(host, writeKey, adminKey);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task Every_example_segment_holds_exactly_the_customers_a_brute_force_reading_of_their_data_selects()
    {
        var examples = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "segments.json")))!.AsObject();
        foreach (var (id, body) in examples)
        {
            await DesignTeam.ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{id}", body), HttpStatusCode.OK);
        }

        var customers = Generated.Customers(new Random(20261201), 80, Start);
        foreach (var customer in customers)
        {
            Assert.Equal(HttpStatusCode.OK, (await segment.Post("batch", customer.Batch().ToJsonString())).StatusCode);
        }

        foreach (var rule in Generated.Rules)
        {
            var expected = customers.Where(c => rule.Value(c, Start)).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
            var members = await Poll.Until(() => Members(rule.Key), m => m.SequenceEqual(expected));
            Assert.True(expected.SequenceEqual(members), $"{rule.Key}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", members)}]");
            var listed = await Poll.Until(() => Get(rule.Key), s => s.GetProperty("count").GetInt64() == expected.Count);
            Assert.Equal(expected.Count, listed.GetProperty("count").GetInt64());
            Assert.Equal("ready", listed.GetProperty("status").GetString());
        }

        // Customers see their segments too.
        var loyal = customers.First(c => Generated.Rules["loyal"](c, Start));
        Assert.Contains("loyal", Segment.Strings((await segment.Customer(loyal.Id)).GetProperty("segments")));
    }

    [Fact]
    public async Task A_backfill_reaches_customers_on_a_silo_whose_copy_of_the_segments_predates_the_save()
    {
        var customers = Enumerable.Range(1, 12).Select(i => $"plan-{i}").ToList();
        foreach (var (id, i) in customers.Select((id, i) => (id, i)))
        {
            await segment.Send("identify", new { userId = id, traits = new { plan = i % 2 == 0 ? "pro" : "free" } });
        }

        await PutSegment("free-plan", """{ "trait": "plan", "op": "eq", "value": "free" }""");
        await Poll.Until(() => Get("free-plan"), s => s.GetProperty("status").GetString() == "ready");

        // Saved straight to the library, as another silo's gateway would: this silo's copy is not told, and the frozen
        // clock never ages it, so only the backfill's own demand for the new generation brings it up to date.
        var body = new JsonObject { ["name"] = "pro", ["where"] = JsonNode.Parse("""{ "trait": "plan", "op": "eq", "value": "pro" }""") };
        var saved = await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISegmentLibraryGrain>("default")
            .Put("pro-plan", body.ToJsonString(), new Actor("test"));
        Assert.Equal(OutcomeKind.Done, saved.Kind);

        var ready = await Poll.Until(() => Get("pro-plan"), s => s.GetProperty("status").GetString() == "ready" && s.GetProperty("count").GetInt64() == 6);
        Assert.Equal(6, ready.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task A_window_flips_with_time_alone_and_the_customer_leaves_when_its_last_order_is_30_days_old()
    {
        await PutSegment("big-spenders", """{ "event": "order_completed", "within": "P30D", "sum": { "property": "amount", "op": "gt", "value": 1000 } }""");
        await PutSegment("lapsed", """{ "all": [ { "event": "order_completed", "count": { "op": "gt", "value": 0 } }, { "event": "order_completed", "within": "P30D", "count": { "op": "eq", "value": 0 } } ] }""");
        await segment.Send("track", new { userId = "ada", @event = "order_completed", properties = new { amount = 1200 } });

        Assert.Equal(["ada"], await Poll.Until(() => Members("big-spenders"), m => m.Count == 1));
        Assert.Empty(await Members("lapsed"));

        // No event: the wake-up the evaluation scheduled moves ada from one segment to the other.
        clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        Assert.Equal(["ada"], await Poll.Until(() => Members("lapsed"), m => m.Count == 1));
        Assert.Empty(await Members("big-spenders"));
        var timeline = await segment.Timeline("ada");
        var items = timeline.Where(i => i.GetProperty("kind").GetString() == "segment").Select(i => $"{i.GetProperty("on").GetString()} {i.GetProperty("segment").GetString()}").ToList();
        Assert.Equal(["enter lapsed", "exit big-spenders", "enter big-spenders"], items);
    }

    [Fact]
    public async Task A_new_segment_is_backfilled_over_existing_customers_and_its_trigger_fires_only_for_real_entries()
    {
        var existing = Enumerable.Range(1, 30).Select(i => $"vip-{i}").ToList();
        foreach (var (id, i) in existing.Select((id, i) => (id, i)))
        {
            await segment.Send("identify", new { userId = id, traits = new { memberLevel = i % 3 == 0 ? "diamond" : "gold" } });
        }

        await PutSegment("diamonds", """{ "trait": "memberLevel", "op": "eq", "value": "diamond" }""");
        await team.PublishAsync("welcome-diamond", JsonNode.Parse("""
            {
              "name": "Welcome to diamond",
              "trigger": { "type": "segment", "segment": "diamonds", "on": "enter" },
              "start": "done",
              "nodes": [ { "id": "done", "type": "exit" } ]
            }
            """)!);

        var diamonds = existing.Where((_, i) => i % 3 == 0).Order(StringComparer.Ordinal).ToList();
        var ready = await Poll.Until(() => Get("diamonds"), s => s.GetProperty("status").GetString() == "ready" && s.GetProperty("count").GetInt64() == diamonds.Count);
        Assert.Equal(diamonds.Count, ready.GetProperty("count").GetInt64());
        Assert.Equal(1.0, ready.GetProperty("progress").GetDouble());
        Assert.Equal(diamonds, await Members("diamonds"));

        // Its end is saved, so a restarted node does not walk the registry again.
        var saved = new GrainState<SegmentBackfillState>(new SegmentBackfillState());
        await host.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.ProviderName)
            .ReadStateAsync(GrainStorage.StateNames.SegmentBackfill, GrainId.Create("segmentbackfill", "default"), saved);
        Assert.True(saved.State!.Target > 0);
        Assert.Equal(saved.State.Target, saved.State.Completed);

        // A customer who becomes a diamond now enters the journey; the backfilled ones did not.
        await segment.Send("identify", new { userId = "vip-2", traits = new { memberLevel = "diamond" } });
        await Poll.Until(() => Members("diamonds"), m => m.Contains("vip-2"));
        var stats = await Poll.Until(Stats, s => s.GetProperty("nodes").GetProperty("done").GetProperty("entered").GetInt64() >= 1);
        Assert.Equal(1, stats.GetProperty("nodes").GetProperty("done").GetProperty("entered").GetInt64());
        Assert.Contains(await segment.Timeline("vip-2"), i => i.GetProperty("kind").GetString() == "entered");
        Assert.DoesNotContain(await segment.Timeline(diamonds[0]), i => i.GetProperty("kind").GetString() == "entered");
    }

    [Fact]
    public async Task Rfm_classes_compare_each_customer_with_the_workspace_means_kept_from_every_customers_share()
    {
        // Orders over the last year (recency, frequency, monetary): a recent, often and big; b long ago, once, small;
        // c recent, once, big; d long ago, three times, small. Means: last order about 126 days ago, 2 orders, 915.
        var orders = new Dictionary<string, (int DaysAgo, int Amount)[]>
        {
            ["a"] = [(1, 500), (5, 500), (9, 500)],
            ["b"] = [(200, 100)],
            ["c"] = [(5, 2000)],
            ["d"] = [(300, 20), (310, 20), (320, 20)],
        };
        foreach (var (id, list) in orders)
        {
            foreach (var (daysAgo, amount) in list)
            {
                await segment.Send("track", new { userId = id, @event = "order_completed", timestamp = Start.AddDays(-daysAgo), properties = new { amount } });
            }
        }

        await PutSegment("important-value", """{ "rfm": "important_value" }""");
        await PutSegment("important-develop", """{ "rfm": "important_develop" }""");
        await Poll.Until(() => Get("important-develop"), s => s.GetProperty("status").GetString() == "ready");

        // The first evaluations added each share to the sums. Once those are flushed (each second of real time) and a
        // silo's copy of the means is renewed (each minute), a new generation of the rules (any change to them)
        // classifies everyone against the complete means.
        await Task.Delay(TimeSpan.FromSeconds(3));
        clock.Advance(TimeSpan.FromMinutes(2));
        await DesignTeam.ExpectAsync(await team.Designer.PutAsJsonAsync("/api/segments/important-value", new { name = "Important value", where = JsonNode.Parse("""{ "rfm": "important_value" }""") }), HttpStatusCode.OK);
        await Poll.Until(() => Get("important-value"), s => s.GetProperty("status").GetString() == "ready");

        Assert.Equal(["a"], await Poll.Until(() => Members("important-value"), m => m.SequenceEqual(["a"])));
        Assert.Equal(["c"], await Poll.Until(() => Members("important-develop"), m => m.SequenceEqual(["c"])));
    }

    [Fact]
    public async Task A_schedule_enrols_the_members_at_its_time_and_every_period_after_and_include_existing_enrols_them_at_publication()
    {
        await PutSegment("gold", """{ "trait": "memberLevel", "op": "eq", "value": "gold" }""");
        foreach (var i in Enumerable.Range(1, 7))
        {
            await segment.Send("identify", new { userId = $"m-{i}", traits = new { memberLevel = i <= 5 ? "gold" : "silver" } });
        }

        await Poll.Until(() => Members("gold"), m => m.Count == 5);
        await team.PublishAsync("gold-hourly", Exiting($$"""{ "type": "schedule", "segment": "gold", "at": "{{Start.AddHours(1):O}}", "every": "PT1H" }"""));
        await team.PublishAsync("gold-welcome", Exiting("""{ "type": "segment", "segment": "gold", "on": "enter", "includeExisting": true }"""));

        // Members at publication enter at once; nobody enters the schedule before its time.
        Assert.Equal(5, await Entered("gold-welcome", 5));
        Assert.Equal(0, await Entered("gold-hourly", 0));

        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(5, await Entered("gold-hourly", 5));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(10, await Entered("gold-hourly", 10));
        Assert.Equal(2, (await segment.Timeline("m-1")).Count(i => i.GetProperty("kind").GetString() == "entered" && i.GetProperty("journey").GetString() == "gold-hourly"));
        Assert.DoesNotContain(await segment.Timeline("m-6"), i => i.GetProperty("kind").GetString() == "entered");
    }

    [Fact]
    public async Task Leaving_a_segment_ends_the_runs_whose_exit_criteria_name_it()
    {
        await PutSegment("vips", """{ "tag": "vip" }""");
        await team.PublishAsync("vip-care", JsonNode.Parse("""
            {
              "name": "VIP care",
              "trigger": { "type": "event", "event": "joined" },
              "exitWhen": [ { "segment": "vips", "on": "exit" } ],
              "start": "later",
              "nodes": [
                { "id": "later", "type": "wait", "duration": "P7D", "next": "done" },
                { "id": "done", "type": "exit" }
              ]
            }
            """)!);
        await DesignTeam.ExpectAsync(await segment.Admin.PutAsync("/api/customers/lin/tags/vip", null), HttpStatusCode.OK);
        await Poll.Until(() => Members("vips"), m => m.Count == 1);
        await segment.Send("track", new { userId = "lin", @event = "joined" });
        await Poll.Until(async () => await segment.Timeline("lin"), t => t.Any(i => i.GetProperty("kind").GetString() == "entered"));

        await DesignTeam.ExpectAsync(await segment.Admin.DeleteAsync("/api/customers/lin/tags/vip"), HttpStatusCode.OK);

        var timeline = await Poll.Until(async () => await segment.Timeline("lin"), t => t.Any(i => i.GetProperty("kind").GetString() == "exited"));
        var exited = Assert.Single(timeline, i => i.GetProperty("kind").GetString() == "exited");
        Assert.Equal("exit_criterion", exited.GetProperty("reason").GetString());
        Assert.Equal("later", exited.GetProperty("node").GetString());
    }

    [Fact]
    public async Task A_member_merged_into_another_customer_is_listed_once_as_the_survivor()
    {
        await PutSegment("goldies", """{ "trait": "memberLevel", "op": "eq", "value": "gold" }""");
        await segment.Send("identify", new { anonymousId = "visitor-1", traits = new { memberLevel = "gold" } });
        Assert.Equal(["visitor-1"], await Poll.Until(() => Members("goldies"), m => m.Count == 1));

        await segment.Send("identify", new { anonymousId = "visitor-1", userId = "kim" });

        Assert.Equal(["kim"], await Poll.Until(() => Members("goldies"), m => m.SequenceEqual(["kim"])));
        Assert.Equal(1, (await Poll.Until(() => Get("goldies"), s => s.GetProperty("count").GetInt64() == 1)).GetProperty("count").GetInt64());
    }

    private static JsonNode Exiting(string trigger) => JsonNode.Parse($$"""
        { "name": "Broadcast", "trigger": {{trigger}}, "entry": { "reentry": "always" }, "start": "done", "nodes": [ { "id": "done", "type": "exit" } ] }
        """)!;

    private async Task<long> Entered(string journey, long expected) =>
        (await Poll.Until(
            async () => await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{journey}/stats"),
            s => s.GetProperty("nodes").GetProperty("done").GetProperty("entered").GetInt64() == expected))
        .GetProperty("nodes").GetProperty("done").GetProperty("entered").GetInt64();

    [Fact]
    public async Task Members_come_in_pages_as_csv_and_as_an_insight_beside_the_workspace()
    {
        await PutSegment("shanghai", """{ "trait": "city", "op": "eq", "value": "Shanghai" }""");
        var people = Enumerable.Range(1, 12).Select(i => (Id: $"p-{i:00}", City: i % 4 == 0 ? "Beijing" : "Shanghai", Vip: i % 2 == 0)).ToList();
        foreach (var p in people)
        {
            await segment.Send("identify", new { userId = p.Id, traits = new { city = p.City, email = $"{p.Id}@x.io", note = p.Id == "p-01" ? "=HYPERLINK(\"x\")" : "hi, \"you\"" } });
            if (p.Vip)
            {
                await DesignTeam.ExpectAsync(await segment.Admin.PutAsync($"/api/customers/{p.Id}/tags/vip", null), HttpStatusCode.OK);
            }
        }

        var expected = people.Where(p => p.City == "Shanghai").Select(p => p.Id).ToList();
        await Poll.Until(() => Members("shanghai"), m => m.Count == expected.Count);

        // Pages of 4 with a cursor.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/shanghai/members?limit=4{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(Segment.Strings(page.GetProperty("items")));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        Assert.Equal(expected, seen);

        // CSV with chosen traits, quoted as RFC 4180 says, formulas defused.
        var csv = await team.Viewer.GetStringAsync("/api/segments/shanghai/members?format=csv&traits=email,note");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,email,note", lines[0]);
        Assert.Equal(expected.Count + 1, lines.Length);
        Assert.Contains("p-01,p-01@x.io,\"'=HYPERLINK(\"\"x\"\")\"", lines);
        Assert.Contains("p-02,p-02@x.io,\"hi, \"\"you\"\"\"", lines);

        // Insight: all Shanghai inside, three in four across the workspace; vip half on both sides here.
        var insight = await team.Viewer.GetFromJsonAsync<JsonElement>("/api/segments/shanghai/insight?traits=city");
        Assert.Equal(expected.Count, insight.GetProperty("size").GetInt64());
        Assert.Equal(people.Count, insight.GetProperty("workspaceSize").GetInt64());
        var city = insight.GetProperty("traits").GetProperty("city");
        Assert.Equal(1.0, city.GetProperty("segment").GetProperty("Shanghai").GetDouble(), 10);
        Assert.Equal(0.75, city.GetProperty("workspace").GetProperty("Shanghai").GetDouble(), 10);
        Assert.Equal(0.25, city.GetProperty("workspace").GetProperty("Beijing").GetDouble(), 10);
        Assert.Equal((double)expected.Count(id => people.Single(p => p.Id == id).Vip) / expected.Count,
            insight.GetProperty("tags").GetProperty("segment").GetProperty("vip").GetDouble(), 10);

        // Bad reads are refused with the field at fault.
        await Refused("/api/segments/shanghai/members?limit=0", "limit");
        await Refused("/api/segments/shanghai/members?cursor=%%%", "cursor");
        await Refused("/api/segments/shanghai/members?format=xml", "format");
        Assert.Equal(HttpStatusCode.NotFound, (await team.Viewer.GetAsync("/api/segments/nope/members")).StatusCode);
    }

    private async Task Refused(string path, string field)
    {
        using var response = await team.Viewer.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == field);
    }

    private async Task PutSegment(string id, string where) =>
        await DesignTeam.ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{id}", new { name = id, where = JsonNode.Parse(where) }), HttpStatusCode.OK);

    private async Task<JsonElement> Get(string id) => await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/{id}");

    private async Task<List<string>> Members(string id)
    {
        var page = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/{id}/members?limit=1000");
        return [.. Segment.Strings(page.GetProperty("items")).Order(StringComparer.Ordinal)];
    }

    private async Task<JsonElement> Stats() => await team.Viewer.GetFromJsonAsync<JsonElement>("/api/journeys/welcome-diamond/stats");
}
