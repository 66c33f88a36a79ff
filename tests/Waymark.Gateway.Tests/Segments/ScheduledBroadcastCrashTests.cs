using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// Issue 8's broadcast crash test, on PostgreSQL: a journey with a one-time <c>schedule</c> trigger on a segment of 10,000
/// members, <c>reentry: always</c> and an exit as its only node, so every run has ended long before the firing does and
/// only the firing-based entry id (refused even after its run ended) keeps a customer from entering twice. The gateway
/// (hosting its silo) is killed hard (SIGKILL) while the firing is part way through its pages; after the restart the
/// firing resumes on its own (its reminder) at the saved cursor. Afterwards, through the HTTP API: every member's
/// timeline has exactly one entry into the journey (and one exit), no non-member has any, and the journey's counts say
/// exactly 10,000. Bulk work goes in pages of 1,000 paced to 1,000 customers/s here (the defaults are 250 and 2,000),
/// so the firing lasts at least ten seconds and a kill often falls inside a page.
/// Set <c>WAYMARK_CRASH_SEED</c> to replay the kill moment of a failed run (the seed is in the test output).
/// </summary>
[Trait("Database", "PostgreSQL")]
[Collection(SegmentDrill.Collection)]
public sealed class ScheduledBroadcastCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Members = 10_000;
    private const int Bystanders = 500;
    private const string SegmentId = "blast-audience";
    private const string JourneyId = "blast";
    /// <summary>
    /// Pages of 1,000 at 1,000 customers/s (one page a second at most): the firing lasts at least ten seconds, so the drill
    /// reliably sees it part way, and a page takes a good part of its second, so a kill often falls inside one.
    /// </summary>
    private const int PageSize = 1000;

    /// <summary>How far ahead of the publication the schedule's time is (publication refuses a time already past).</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(15);

    /// <summary>How long the firing may take to resume after the restart: its reminder's period (1 min), the reminder service's start, and slack for a slow machine.</summary>
    private static readonly TimeSpan ResumeWithin = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>How long the count must stay at 10,000 before it is taken as final.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private SegmentDrill drill = null!;

    public async Task InitializeAsync() => drill = await SegmentDrill.CreateAsync(output, new Dictionary<string, string?>
    {
        ["Waymark:Segments:BackfillPerSecond"] = "1000",
        ["Waymark:Segments:BackfillPageSize"] = PageSize.ToString(CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await drill.DisposeAsync();

    private static JsonNode Canvas(DateTimeOffset at) => JsonNode.Parse($$"""
        {
          "name": "Blast",
          "trigger": { "type": "schedule", "segment": "{{SegmentId}}", "at": "{{at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}" },
          "entry": { "reentry": "always" },
          "start": "done",
          "nodes": [ { "id": "done", "type": "exit" } ]
        }
        """)!;

    [Fact]
    public async Task A_scheduled_broadcast_to_10000_members_killed_during_enrolment_enrols_each_exactly_once_on_postgres()
    {
        var seed = Environment.GetEnvironmentVariable("WAYMARK_CRASH_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var killAt = 0.2 + (0.5 * random.NextDouble());
        var then = TimeSpan.FromMilliseconds(random.Next(1_000));
        drill.Log($"seed {seed} (set WAYMARK_CRASH_SEED={seed} to replay): kill once {killAt:P0} of the members are counted entered");

        await drill.StartAsync("first start");
        await drill.Expect(await drill.Admin.PutAsJsonAsync($"/api/segments/{SegmentId}", new
        {
            name = "Blast audience",
            where = JsonNode.Parse("""{ "trait": "cohort", "op": "eq", "value": "audience" }"""),
        }));

        // Members and bystanders interleaved in key order, so every page of the firing skips some.
        var customers = Enumerable.Range(0, Members + Bystanders).Select(i => (Id: $"bc-{i:D5}", Member: i % 21 != 20)).ToList();
        Assert.Equal(Members, customers.Count(c => c.Member));
        await drill.IdentifyAsync([.. customers.Select(c => (c.Id, new JsonObject { ["cohort"] = c.Member ? "audience" : "bystander" }))]);
        var watch = Stopwatch.StartNew();
        JsonElement segment;
        while (true)
        {
            segment = await drill.Get($"/api/segments/{SegmentId}");
            if (segment.GetProperty("status").GetString() == "ready" && segment.GetProperty("count").GetInt64() == Members)
            {
                break;
            }

            Assert.True(watch.Elapsed < Patience, $"the segment did not reach {Members} members: {segment.GetRawText()}\n{drill.Diagnostics()}");
            await Task.Delay(500);
        }

        drill.Log($"the segment holds its {Members:N0} members");

        // A broadcast usually meets customers that are not in memory: start afresh, so the firing activates each one.
        await drill.Gateway.KillAsync();
        await drill.StartAsync("start with no customer in memory");

        var at = DateTimeOffset.UtcNow.Add(Lead);
        at = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        await drill.PublishAsync(JourneyId, Canvas(at));
        drill.Log($"published, scheduled at {at:HH:mm:ss}");

        // Kill part way through the firing, as the journey's counts show it (flushed about once a second): preferably
        // while they show a page partly entered, so the kill likely falls inside that page and the resumed firing offers
        // its first customers the same entry again; failing that (a fast machine's pages are seldom seen half done), at a
        // random moment of the page cycle once 80% are counted.
        watch.Restart();
        long entered;
        while (true)
        {
            entered = Entered(await Stats());
            Assert.True(
                entered < Members * 0.9,
                $"the firing had counted {entered} entries before the drill saw it part way ({killAt:P0}); it cannot be killed during enrolment, seed {seed}\n{drill.Diagnostics()}");
            if (entered >= Members * killAt && (entered % PageSize != 0 || entered >= Members * 0.8))
            {
                break;
            }

            Assert.True(watch.Elapsed < Lead + Patience, $"the firing had counted only {entered} entries {watch.Elapsed.TotalSeconds:F0} s after publication, seed {seed}\n{drill.Diagnostics()}");
            await Task.Delay(50);
        }

        var midPage = entered % PageSize != 0;
        if (!midPage)
        {
            await Task.Delay(then);
        }

        var firingFor = DateTimeOffset.UtcNow - at;
        var kill = DateTimeOffset.UtcNow;
        await drill.Gateway.KillAsync();
        drill.Log($"killed {(midPage ? "at once" : $"{then.TotalMilliseconds:F0} ms")} after {entered:N0} entries were counted, "
            + $"{firingFor.TotalSeconds:F1} s after the scheduled time (about {entered / firingFor.TotalSeconds:N0} customers/s)");

        await drill.StartAsync("restart");
        var restarted = drill.Elapsed;

        // The firing resumes by itself; the count must reach exactly 10,000, never more, and stay there.
        watch.Restart();
        var settled = Stopwatch.StartNew();
        var last = -1L;
        TimeSpan? resumed = null;
        JsonElement stats;
        while (true)
        {
            stats = await Stats();
            entered = Entered(stats);
            Assert.True(entered <= Members, $"{entered} entries counted for {Members} members, seed {seed}: {stats.GetRawText()}\n{drill.Diagnostics()}");
            if (entered != last)
            {
                if (last >= 0 && resumed is null)
                {
                    resumed = drill.Elapsed - restarted;
                    drill.Log($"the firing resumed by itself {resumed.Value.TotalSeconds:F1} s after the restart was ready ({last:N0} entries counted then)");
                }

                last = entered;
                settled.Restart();
            }

            if (entered == Members && settled.Elapsed >= Settle)
            {
                break;
            }

            Assert.True(
                watch.Elapsed < ResumeWithin + Patience,
                $"{entered:N0} of {Members:N0} entries counted {watch.Elapsed.TotalSeconds:F0} s after the restart (resumed: {resumed?.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) ?? "no"}), seed {seed}: {stats.GetRawText()}\n{drill.Diagnostics()}");
            await Task.Delay(500);
        }

        drill.Log($"{Members:N0} entries counted and settled, {(drill.Elapsed - restarted).TotalSeconds:F1} s after the restart was ready");

        // Every member entered once and exited once; no bystander entered.
        var problems = new ConcurrentBag<string>();
        var enteredBeforeKill = 0;
        var entryIds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var reading = Stopwatch.StartNew();
        await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, _) =>
        {
            var timeline = await Timeline(customer.Id);
            var entries = timeline.Where(i => i.GetProperty("kind").GetString() == "entered" && i.GetProperty("journey").GetString() == JourneyId).ToList();
            var exits = timeline.Where(i => i.GetProperty("kind").GetString() == "exited" && i.GetProperty("journey").GetString() == JourneyId).ToList();
            var expected = customer.Member ? 1 : 0;
            if (entries.Count != expected || exits.Count != expected)
            {
                problems.Add($"{customer.Id} ({(customer.Member ? "member" : "bystander")}): {entries.Count} entries and {exits.Count} exits, expected {expected}; "
                    + $"timeline (oldest first): {string.Join(" | ", timeline.Reverse().Select(Describe))}");
            }

            if (entries.Count == 1)
            {
                if (entries[0].GetProperty("at").GetDateTimeOffset() < kill)
                {
                    Interlocked.Increment(ref enteredBeforeKill);
                }

                entryIds.TryAdd(entries[0].GetProperty("entryId").GetString()!, 0);
            }
        });
        drill.Log($"read {customers.Count:N0} timelines in {reading.Elapsed.TotalSeconds:F1} s");
        Assert.True(problems.IsEmpty, $"{problems.Count} customers did not enter exactly as expected, seed {seed}:\n{string.Join("\n", problems.Order(StringComparer.Ordinal).Take(10))}\n{drill.Diagnostics()}");
        Assert.Equal(Members, entryIds.Count); // each entry id is its customer's own

        // What the kill interrupted, as the timelines tell it (the gateway's clock is this machine's).
        drill.Log($"{enteredBeforeKill:N0} members had entered before the kill and {Members - enteredBeforeKill:N0} after the restart; "
            + (enteredBeforeKill % PageSize == 0
                ? "the kill fell between pages (or after a page's entries and before its cursor was saved)"
                : $"the kill fell inside a page: {enteredBeforeKill % PageSize} of its {PageSize} customers had entered, and the resumed firing offered them the same entry again"));
        Assert.True(enteredBeforeKill < Members, $"every member had entered before the kill, seed {seed}: the drill did not interrupt the firing");

        var done = stats.GetProperty("nodes").GetProperty("done");
        Assert.Equal(Members, done.GetProperty("entered").GetInt64());
        Assert.Equal(0, done.GetProperty("current").GetInt64());
        Assert.Equal(Members, done.GetProperty("exited").GetProperty("exit_node").GetInt64());
        drill.Log($"checked, {drill.Elapsed.TotalSeconds:F1} s into the test; {drill.Gateway.Starts} starts in all");
    }

    private async Task<JsonElement> Stats() => await drill.Get($"/api/journeys/{JourneyId}/stats");

    private static long Entered(JsonElement stats) =>
        stats.GetProperty("nodes").TryGetProperty("done", out var done) ? done.GetProperty("entered").GetInt64() : 0;

    private async Task<JsonElement[]> Timeline(string customer)
    {
        using var response = await drill.Admin.GetAsync($"/api/customers/{customer}/timeline?limit=100");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var page = await drill.Expect(response);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static string Describe(JsonElement item) => item.GetProperty("kind").GetString() switch
    {
        "entered" => $"entered {item.GetProperty("journey").GetString()} {item.GetProperty("entryId").GetString()} at {item.GetProperty("at")}",
        "exited" => $"exited {item.GetProperty("journey").GetString()} {item.GetProperty("reason").GetString()} at {item.GetProperty("at")}",
        "segment" => $"segment {item.GetProperty("on").GetString()} {item.GetProperty("segment").GetString()} at {item.GetProperty("at")}",
        var other => $"{other} at {item.GetProperty("at")}",
    };
}
