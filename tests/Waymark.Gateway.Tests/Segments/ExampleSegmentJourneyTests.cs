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
using Waymark.Model.Time;
using Waymark.Testing;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// The contract's two segment-driven examples, published unchanged and run end to end over HTTP with their real triggers
/// on a node whose business clock is fake: <c>coupon-ab-with-control.json</c> (a <c>segment</c> trigger with
/// <c>includeExisting</c>, a split with a control branch, a goal and its lift) and <c>copy-horse-race.json</c> (a
/// <c>schedule</c> trigger on a windowed segment, a push horse race decided by reported clicks). Email lands in a
/// recording channel; push goes over real HTTP to a provider on loopback.
/// </summary>
public sealed class ExampleSegmentJourneyTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>10:00 UTC, two hours before the horse race's <c>at</c> (20:00 +08:00), and a UTC daytime hour (outside the default quiet hours) for the coupons.</summary>
    private static readonly DateTimeOffset Start = new(2027, 5, 20, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The 97.5% quantile of the standard normal distribution: the two-sided 95% Wald interval's factor.</summary>
    private const double Z95 = 1.959963984540054;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly ScratchDirectory data = new();
    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingChannel email = new();
    private GatewayHost host = null!;
    private Segment segment = null!;
    private DesignTeam team = null!;

    public async Task InitializeAsync()
    {
        host = new GatewayHost(data.Path, extraServices: services =>
        {
            services.AddSingleton(new WaymarkClock(clock));
            services.AddKeyedSingleton<IMessageChannel>(Channel.Email, email);
        });
        var (writeKey, adminKey) = host.BootstrapKeys();
        segment = new Segment(host, writeKey, adminKey);
        team = await DesignTeam.JoinAsync(host, writeKey, adminKey);
        var examples = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "segments.json")))!.AsObject();
        foreach (var (id, body) in examples)
        {
            await DesignTeam.ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{id}", body), HttpStatusCode.OK);
        }
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task Coupon_ab_with_control_enrols_diamonds_at_publication_and_on_entry_and_reports_each_coupons_lift_over_control()
    {
        const string Journey = "coupon-ab-with-control";
        string[] levels = ["gold", "silver", "diamond"];
        var customers = Enumerable.Range(1, 60).Select(i => (Id: $"vip-{i:00}", Level: levels[i % 3])).ToList();
        await Identify(customers.Select(c => (c.Id, Traits(c.Id, c.Level))));
        var diamondsAtPublication = customers.Where(c => c.Level == "diamond").Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(20, diamondsAtPublication.Count);
        var listed = await Until(() => SegmentDocument("diamond-vip"), s => s.GetProperty("status").GetString() == "ready" && s.GetProperty("count").GetInt64() == diamondsAtPublication.Count);
        Assert.Equal(diamondsAtPublication.Count, listed.GetProperty("count").GetInt64());
        Assert.Equal(diamondsAtPublication, await Members("diamond-vip"));

        await team.PublishAsync(Journey, DesignTeam.Example("coupon-ab-with-control.json"));

        // includeExisting: every diamond at publication enters at once.
        var existing = await Until(() => Stats(Journey), s => Count(s, "nodes", "split", "entered") == diamondsAtPublication.Count);
        Assert.Equal(diamondsAtPublication.Count, Count(existing, "nodes", "split", "entered"));

        // Let the publication's firing finish (its last page is empty), so the diamonds that follow can only enter by a
        // real segment entry; then four gold and silver customers are upgraded. (New customers who arrive as diamonds are
        // the next test's.)
        await Task.Delay(TimeSpan.FromSeconds(3));
        var upgraded = new[] { "vip-01", "vip-03", "vip-04", "vip-06" };
        await Identify(upgraded.Select(id => (id, Traits(id, "diamond"))));
        var diamonds = diamondsAtPublication.Concat(upgraded).Order(StringComparer.Ordinal).ToList();
        var nonDiamonds = customers.Select(c => c.Id).Except(diamonds).ToList();
        Assert.Equal(diamonds, await Until(() => Members("diamond-vip"), m => m.SequenceEqual(diamonds)));
        var all = await Until(() => Stats(Journey), s => Count(s, "nodes", "split", "entered") == diamonds.Count
            && Count(s, "nodes", "done", "entered") == diamonds.Count
            && Count(s, "messages", "send-pct", "all", "sent") == Count(s, "nodes", "send-pct", "entered")
            && Count(s, "messages", "send-abs", "all", "sent") == Count(s, "nodes", "send-abs", "entered"));
        if (Count(all, "nodes", "split", "entered") != diamonds.Count)
        {
            var missing = new List<string>();
            foreach (var id in diamonds)
            {
                var timeline = await segment.Timeline(id);
                if (!timeline.Any(i => Kind(i) == "entered"))
                {
                    missing.Add($"{id}: {string.Join(" | ", timeline.Select(i => i.GetRawText()))}");
                }
            }

            Assert.Fail($"{Count(all, "nodes", "split", "entered")} of {diamonds.Count} diamonds entered; not entered:\n{string.Join("\n", missing)}");
        }

        Assert.Equal(diamonds.Count, Count(all, "nodes", "done", "entered"));

        // Each diamond entered once, and the late ones after a segment entry of their own; nobody else entered.
        var branchOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in diamonds)
        {
            var timeline = await segment.Timeline(id);
            Assert.Single(timeline, i => Kind(i) == "entered" && Str(i, "journey") == Journey);
            var moved = Assert.Single(timeline, i => Kind(i) == "moved" && Str(i, "journey") == Journey && Str(i, "from") == "split");
            Assert.StartsWith("branch:", Str(moved, "reason"), StringComparison.Ordinal);
            branchOf[id] = Str(moved, "reason")![7..];
            if (!diamondsAtPublication.Contains(id))
            {
                Assert.Contains(timeline, i => Kind(i) == "segment" && Str(i, "on") == "enter" && Str(i, "segment") == "diamond-vip");
            }
        }

        foreach (var id in nonDiamonds)
        {
            Assert.DoesNotContain(await segment.Timeline(id), i => Kind(i) == "entered");
        }

        // The branches add up; control got no email, each coupon branch its own, once, to the customer's address.
        string[] branches = ["control", "pct20", "300-30"];
        var inBranch = branches.ToDictionary(b => b, b => diamonds.Where(id => branchOf[id] == b).ToList());
        Assert.Equal(diamonds.Count, inBranch.Values.Sum(b => b.Count));
        Assert.All(branchOf.Values, b => Assert.Contains(b, branches));
        Assert.All(branches, b => Assert.NotEmpty(inBranch[b])); // the split is a stable hash of the entry: the same every run
        Assert.Equal(inBranch["pct20"].Count, Count(all, "nodes", "send-pct", "entered"));
        Assert.Equal(inBranch["300-30"].Count, Count(all, "nodes", "send-abs", "entered"));
        var mails = email.Messages;
        Assert.Equal(inBranch["pct20"].Count + inBranch["300-30"].Count, mails.Count);
        Assert.Equal(mails.Count, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.DoesNotContain(mails, m => inBranch["control"].Contains(m.UserId!));
        Assert.Equal(inBranch["pct20"].Order(StringComparer.Ordinal), mails.Where(m => m.NodeId == "send-pct").Select(m => m.UserId!).Order(StringComparer.Ordinal));
        Assert.Equal(inBranch["300-30"].Order(StringComparer.Ordinal), mails.Where(m => m.NodeId == "send-abs").Select(m => m.UserId!).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Equal($"{m.UserId}@shop.example", m.Address));
        var pct = mails.First(m => m.NodeId == "send-pct");
        Assert.Equal("20% off, no minimum", pct.Content.Field("subject"));
        Assert.Equal($"Hi Name {pct.UserId}, enjoy 20% off.", pct.Content.Field("text"));
        Assert.Equal("30 off every 300", mails.First(m => m.NodeId == "send-abs").Content.Field("subject"));

        // Purchases: two in three pct20 customers, every other 300-30 customer, every fourth control customer (the first of
        // each included); one buyer orders twice, and two customers outside the journey order too.
        bool Buys(string branch, int i) => branch switch { "pct20" => i % 3 != 2, "300-30" => i % 2 == 0, _ => i % 4 == 0 };
        var buyers = branches.ToDictionary(b => b, b => inBranch[b].Where((_, i) => Buys(b, i)).ToList());
        foreach (var id in buyers.Values.SelectMany(b => b).Append(buyers["control"][0]).Concat(nonDiamonds.Take(2)))
        {
            await segment.Send("track", new { userId = id, @event = "order_completed", properties = new { amount = 300 } });
        }

        var converted = buyers.Values.Sum(b => b.Count);
        var stats = await Until(() => Stats(Journey), s => Count(s, "goal", "converted") == converted
            && branches.All(b => Count(s, "goal", "branches", b, "converted") == buyers[b].Count));
        var goal = stats.GetProperty("goal");
        Assert.Equal(diamonds.Count, goal.GetProperty("entries").GetInt64());
        Assert.Equal(converted, goal.GetProperty("converted").GetInt64());
        Assert.Equal((double)converted / diamonds.Count, goal.GetProperty("rate").GetDouble(), 10);
        var pControl = (double)buyers["control"].Count / inBranch["control"].Count;
        foreach (var b in branches)
        {
            var reported = goal.GetProperty("branches").GetProperty(b);
            Assert.Equal(inBranch[b].Count, reported.GetProperty("entries").GetInt64());
            Assert.Equal(buyers[b].Count, reported.GetProperty("converted").GetInt64());
            var p = (double)buyers[b].Count / inBranch[b].Count;
            Assert.Equal(p, reported.GetProperty("rate").GetDouble(), 10);
            if (b == "control")
            {
                Assert.True(!reported.TryGetProperty("lift", out var none) || none.ValueKind == JsonValueKind.Null, $"{b}: {reported}");
                continue;
            }

            // api.md §3: lift = (p − p_control) / p_control; its 95% interval the Wald interval of p − p_control over p_control.
            var difference = p - pControl;
            var halfWidth = Z95 * Math.Sqrt((p * (1 - p) / inBranch[b].Count) + (pControl * (1 - pControl) / inBranch["control"].Count));
            Assert.Equal(difference / pControl, reported.GetProperty("lift").GetDouble(), 9);
            Assert.Equal((difference - halfWidth) / pControl, reported.GetProperty("liftLow").GetDouble(), 9);
            Assert.Equal((difference + halfWidth) / pControl, reported.GetProperty("liftHigh").GetDouble(), 9);
            output.WriteLine($"{b}: {buyers[b].Count}/{inBranch[b].Count} converted, lift {difference / pControl:F4} [{(difference - halfWidth) / pControl:F4}, {(difference + halfWidth) / pControl:F4}]");
        }

        output.WriteLine($"control: {buyers["control"].Count}/{inBranch["control"].Count} converted");

        // The goal's window is P7D from entry: an order eight days later converts nobody.
        var late = diamonds.First(id => !buyers[branchOf[id]].Contains(id));
        clock.Advance(TimeSpan.FromDays(8));
        await segment.Send("track", new { userId = late, @event = "order_completed", properties = new { amount = 300 } });
        Assert.DoesNotContain(await segment.Timeline(late), i => Kind(i) == "goal");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(converted, Count(await Stats(Journey), "goal", "converted"));
    }

    [Fact]
    public async Task Coupon_ab_with_control_enrols_a_new_customer_who_arrives_as_a_diamond_after_publication()
    {
        const string Journey = "coupon-ab-with-control";
        await Identify(Enumerable.Range(1, 6).Select(i => ($"old-{i}", Traits($"old-{i}", i % 2 == 0 ? "diamond" : "gold"))));
        await Until(() => SegmentDocument("diamond-vip"), s => s.GetProperty("status").GetString() == "ready" && s.GetProperty("count").GetInt64() == 3);
        await team.PublishAsync(Journey, DesignTeam.Example("coupon-ab-with-control.json"));
        Assert.Equal(3, Count(await Until(() => Stats(Journey), s => Count(s, "nodes", "split", "entered") == 3), "nodes", "split", "entered"));
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Customers Waymark has never seen identify as diamonds: they enter the segment after publication, so they enter
        // the journey (canvas.md "Triggers": segment, on enter), like an existing customer who is upgraded.
        var newcomers = new[] { "new-1", "new-2", "new-3" };
        await Identify(newcomers.Concat(["old-1"]).Select(id => (id, Traits(id, "diamond"))));
        Assert.Equal(7, (await Until(() => Members("diamond-vip"), m => m.Count == 7)).Count);
        var stats = await Until(() => Stats(Journey), s => Count(s, "nodes", "split", "entered") == 7);
        var notEntered = new List<string>();
        foreach (var id in newcomers.Append("old-1"))
        {
            var timeline = await segment.Timeline(id);
            if (!timeline.Any(i => Kind(i) == "entered" && Str(i, "journey") == Journey))
            {
                notEntered.Add($"{id}: {string.Join(" | ", timeline.Where(i => Kind(i) == "segment").Select(i => i.GetRawText()))}");
            }
        }

        Assert.True(notEntered.Count == 0, $"not entered:\n{string.Join("\n", notEntered)}");
        Assert.Equal(7, Count(stats, "nodes", "split", "entered"));
    }

    [Fact]
    public async Task Copy_horse_race_fires_at_its_time_for_the_segments_members_once_and_sends_the_best_clicked_copy_to_everyone_held()
    {
        const string Journey = "copy-horse-race";
        await using var provider = await Receiver.StartAsync();
        await DesignTeam.ExpectAsync(await team.Admin.PutAsJsonAsync("/api/channels/push", new { url = provider.Url("/push"), secret = "push-provider-secret-0123" }), HttpStatusCode.OK);

        // Members: 300 seen now who never ordered or ordered 40 days ago. Not members: 30 who ordered 2 days ago, 20 last
        // seen 10 days ago.
        var batch = new JsonArray();
        void Add(string id, DateTimeOffset seen, params DateTimeOffset[] orders)
        {
            batch.Add(new JsonObject { ["type"] = "identify", ["userId"] = id, ["timestamp"] = seen, ["traits"] = new JsonObject { ["pushToken"] = $"token-{id}" } });
            foreach (var at in orders)
            {
                batch.Add(new JsonObject { ["type"] = "track", ["userId"] = id, ["event"] = "order_completed", ["timestamp"] = at, ["properties"] = new JsonObject { ["amount"] = 100 } });
            }
        }

        var members = Enumerable.Range(1, 300).Select(i => $"fan-{i:000}").ToList();
        var buyers = Enumerable.Range(1, 30).Select(i => $"buyer-{i:00}").ToList();
        var dormant = Enumerable.Range(1, 20).Select(i => $"dormant-{i:00}").ToList();
        foreach (var (id, i) in members.Select((id, i) => (id, i)))
        {
            if (i % 5 == 0)
            {
                Add(id, Start.AddMinutes(-30), Start.AddDays(-40));
            }
            else
            {
                Add(id, Start.AddMinutes(-30));
            }
        }

        buyers.ForEach(id => Add(id, Start.AddMinutes(-30), Start.AddDays(-2)));
        dormant.ForEach(id => Add(id, Start.AddDays(-10)));
        foreach (var chunk in batch.Select(n => n!.DeepClone()).Chunk(100))
        {
            var body = new JsonObject { ["batch"] = new JsonArray(chunk) };
            Assert.Equal(HttpStatusCode.OK, (await segment.Post("batch", body.ToJsonString())).StatusCode);
        }

        var expected = members.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await Until(() => Members("active-7d-no-purchase"), m => m.SequenceEqual(expected)));

        var race = DesignTeam.Example("copy-horse-race.json");
        await team.PublishAsync(Journey, race);

        // Nobody enters before the time of the schedule.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, Count(await Stats(Journey), "nodes", "push", "entered"));
        Assert.Empty(provider.Requests);

        // 20:00 +08:00 is 12:00 UTC: every member enters once; the test group (about 10%) gets its copies at once, the
        // others wait at the node.
        clock.Advance(new DateTimeOffset(2027, 5, 20, 12, 0, 1, TimeSpan.Zero) - clock.GetUtcNow());
        var testing = await Until(() => Stats(Journey), s => Count(s, "nodes", "push", "entered") == members.Count
            && Count(s, "messages", "push", "all", "sent") + Count(s, "nodes", "push", "current") == members.Count
            && provider.Requests.Count == Count(s, "messages", "push", "all", "sent"));
        Assert.Equal(members.Count, Count(testing, "nodes", "push", "entered"));
        var held = Count(testing, "nodes", "push", "current");
        var tested = provider.Requests.Select(r => JsonNode.Parse(r.Text)!).ToList();
        Assert.Equal(members.Count - held, tested.Count);
        Assert.InRange(tested.Count, 10, 60);
        Assert.Equal(tested.Count, tested.Select(m => (string)m["messageId"]!).Distinct().Count());
        Assert.All(tested, m => Assert.StartsWith("token-fan-", (string)m["to"]!, StringComparison.Ordinal));
        Assert.Equal("testing", Push(testing).GetProperty("experiment").GetProperty("status").GetString());

        var enteredOnce = new List<string>();
        foreach (var id in members.Concat(buyers).Concat(dormant))
        {
            var entries = (await segment.Timeline(id)).Count(i => Kind(i) == "entered" && Str(i, "journey") == Journey);
            Assert.True(entries <= 1, $"{id} entered {entries} times");
            if (entries == 1)
            {
                enteredOnce.Add(id);
            }
        }

        Assert.Equal(expected, enteredOnce.Order(StringComparer.Ordinal));

        // The app reports deliveries of all and clicks: on every message of one copy (not the first listed, which wins ties
        // and no data), and on more messages but a smaller share of the copy most tested: the rate wins, not the count.
        output.WriteLine($"{members.Count} enrolled, {tested.Count} tested at once, {held} held");
        var copies = race["nodes"]![0]!["variants"]!.AsArray().ToDictionary(v => (string)v!["template"]!["title"]!, v => (string)v!["name"]!);
        var byCopy = tested.GroupBy(m => copies[(string)m["title"]!]).ToDictionary(g => g.Key, g => g.Select(m => (string)m["messageId"]!).ToList());
        var ranked = byCopy.Keys.Where(v => v != "urgency").OrderByDescending(v => byCopy[v].Count).ThenBy(v => v, StringComparer.Ordinal).ToList();
        Assert.True(ranked.Count >= 2, $"copies tested: {string.Join(", ", byCopy.Keys)}");
        var (winner, runnerUp) = (ranked[1], ranked[0]);
        var runnerUpClicks = byCopy[runnerUp].Take(Math.Min(byCopy[runnerUp].Count - 1, byCopy[winner].Count + 1)).ToList();
        foreach (var messageId in tested.Select(m => (string)m["messageId"]!))
        {
            Assert.True(await Report(messageId, "delivered"));
        }

        foreach (var messageId in byCopy[winner].Concat(runnerUpClicks))
        {
            Assert.True(await Report(messageId, "clicked"));
        }

        Assert.False(await Report(byCopy[winner][0], "clicked")); // a click reported twice counts once
        var clicks = byCopy[winner].Count + runnerUpClicks.Count;
        var clicked = await Until(() => Stats(Journey), s => Count(s, "messages", "push", "all", "clicked") == clicks
            && Count(s, "messages", "push", "all", "delivered") == tested.Count);
        Assert.Equal(clicks, Count(clicked, "messages", "push", "all", "clicked"));
        Assert.Equal(byCopy[winner].Count, Count(clicked, "messages", "push", "variants", winner, "clicked"));
        Assert.Equal(runnerUpClicks.Count, Count(clicked, "messages", "push", "variants", runnerUp, "clicked"));
        Assert.Equal(tested.Count, Count(clicked, "messages", "push", "all", "delivered"));
        Assert.Equal("testing", Push(clicked).GetProperty("experiment").GetProperty("status").GetString());

        // An hour after the first arrival the race is decided: everyone held gets the winning copy, once.
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5));
        var all = await Until(() => Task.FromResult(provider.Requests), r => r.Select(q => q.MessageId).Distinct().Count() >= members.Count);
        Assert.Equal(members.Count, all.Select(r => r.MessageId).Distinct().Count());
        var testedIds = tested.Select(m => (string)m["messageId"]!).ToHashSet(StringComparer.Ordinal);
        var after = all.Where(r => !testedIds.Contains(r.MessageId!)).DistinctBy(r => r.MessageId).Select(r => JsonNode.Parse(r.Text)!).ToList();
        Assert.Equal(held, after.Count);
        Assert.All(after, m => Assert.Equal(winner, copies[(string)m["title"]!]));
        Assert.Equal(expected, all.DistinctBy(r => r.MessageId).Select(r => ((string)JsonNode.Parse(r.Text)!["to"]!)["token-".Length..]).Order(StringComparer.Ordinal));
        var decided = await Until(() => Stats(Journey), s => Count(s, "nodes", "done", "entered") == members.Count
            && Count(s, "messages", "push", "variants", winner, "sent") == byCopy[winner].Count + held);
        Assert.Equal("decided", Push(decided).GetProperty("experiment").GetProperty("status").GetString());
        Assert.Equal(winner, Push(decided).GetProperty("experiment").GetProperty("winner").GetString());
        Assert.Equal(members.Count, Count(decided, "messages", "push", "all", "sent"));
        Assert.Equal(byCopy[winner].Count + held, Count(decided, "messages", "push", "variants", winner, "sent"));
        Assert.Equal(members.Count, Count(decided, "nodes", "done", "entered"));
        Assert.Equal(0, Count(decided, "nodes", "push", "current"));
        output.WriteLine($"tested by copy: {string.Join(", ", byCopy.Select(c => $"{c.Key} {c.Value.Count}"))}; clicks: {winner} {byCopy[winner].Count}, {runnerUp} {runnerUpClicks.Count}; winner {winner}");

        static JsonElement Push(JsonElement s) => s.GetProperty("messages").GetProperty("push");
    }

    private static JsonObject Traits(string id, string level) => new() { ["memberLevel"] = level, ["email"] = $"{id}@shop.example", ["name"] = $"Name {id}" };

    private async Task Identify(IEnumerable<(string Id, JsonObject Traits)> customers)
    {
        var batch = new JsonObject { ["batch"] = new JsonArray([.. customers.Select(c => (JsonNode)new JsonObject { ["type"] = "identify", ["userId"] = c.Id, ["traits"] = c.Traits })]) };
        using var response = await segment.Post("batch", batch.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> Stats(string journey) =>
        await DesignTeam.ExpectAsync(await team.Viewer.GetAsync($"/api/journeys/{journey}/stats"), HttpStatusCode.OK);

    private async Task<JsonElement> SegmentDocument(string id) => await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/{id}");

    private async Task<List<string>> Members(string id)
    {
        var page = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/{id}/members?limit=1000");
        return [.. Segment.Strings(page.GetProperty("items")).Order(StringComparer.Ordinal)];
    }

    /// <summary>Reports a receiver's event on a message with the write key; whether it counted.</summary>
    private async Task<bool> Report(string messageId, string type) =>
        (await DesignTeam.ExpectAsync(await segment.Writer.PostAsJsonAsync($"/v1/messages/{messageId}/events", new { type }), HttpStatusCode.OK)).GetProperty("counted").GetBoolean();

    /// <summary>A count in a stats document by its path; 0 where the document has nothing at that path yet.</summary>
    private static long Count(JsonElement document, params string[] path)
    {
        var at = document;
        foreach (var name in path)
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(name, out at))
            {
                return 0;
            }
        }

        return at.ValueKind == JsonValueKind.Number ? at.GetInt64() : 0;
    }

    private static string? Kind(JsonElement item) => Str(item, "kind");

    private static string? Str(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Reads until <paramref name="done"/> holds or <see cref="Patience"/> has passed; returns the last value read, for the caller's asserts.</summary>
    private static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var value = await read();
            if (done(value) || timeout.IsCancellationRequested)
            {
                return value;
            }

            await Task.Delay(250, CancellationToken.None);
        }
    }
}
