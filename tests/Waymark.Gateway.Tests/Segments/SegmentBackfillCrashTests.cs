using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// Issue 8's backfill crash test, on PostgreSQL: 100,000 existing customers, a new segment that every 7th of them
/// matches, and the gateway (hosting its silo) killed hard (SIGKILL) while the backfill is part way through the customer
/// registry (at a seeded point from 20% to 70%, as its <c>progress</c> says). After the restart nobody reads the segment
/// until the backfill has resumed on its own (its reminder, within about a minute), since a status read would activate
/// the backfill grain and resume it sooner; then the segment becomes ready, its count is exact, and its pages list
/// exactly the expected customers, each once, in key order.
/// Set <c>WAYMARK_CRASH_SEED</c> to replay the kill point of a failed run (the seed is in the test output).
/// </summary>
[Trait("Database", "PostgreSQL")]
[Collection(SegmentDrill.Collection)]
public sealed class SegmentBackfillCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Customers = 100_000;
    private const int Every = 7;
    private const string SegmentId = "sevens";

    /// <summary>How long the backfill may take to resume after the restart: its reminder's period (1 min), the reminder service's start, and slack for a slow machine.</summary>
    private static readonly TimeSpan ResumeWithin = TimeSpan.FromMinutes(3);

    /// <summary>How long any other stage may take (a backfill of 100,000 at the default pace takes about a minute).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private SegmentDrill drill = null!;

    public async Task InitializeAsync() => drill = await SegmentDrill.CreateAsync(output);

    public async Task DisposeAsync() => await drill.DisposeAsync();

    [Fact]
    public async Task A_backfill_over_100000_customers_killed_in_the_middle_resumes_by_itself_and_ends_with_exact_counts_and_pages_on_postgres()
    {
        var seed = Environment.GetEnvironmentVariable("WAYMARK_CRASH_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var killAt = 0.2 + (0.5 * new Random(seed).NextDouble());
        drill.Log($"seed {seed} (set WAYMARK_CRASH_SEED={seed} to replay): kill once the backfill is {killAt:P0} through");

        await drill.StartAsync("first start");
        var ids = Enumerable.Range(0, Customers).Select(i => $"bf-{i:D6}").ToList();
        var expected = ids.Where((_, i) => i % Every == 0).ToList(); // zero-padded: key order is index order
        await drill.IdentifyAsync([.. ids.Select((id, i) => (id, new JsonObject
        {
            ["cohort"] = i % Every == 0 ? "sevens" : "others",
            ["n"] = i,
        }))], batchSize: 500, parallel: 8);

        // The segment comes after its customers, so every membership is the backfill's.
        var saved = drill.Elapsed;
        await drill.Expect(await drill.Admin.PutAsJsonAsync($"/api/segments/{SegmentId}", new
        {
            name = "Every seventh",
            where = JsonNode.Parse("""{ "trait": "cohort", "op": "eq", "value": "sevens" }"""),
        }));

        // Kill once the backfill is at the drill's point between 20% and 80% through the registry.
        var watch = Stopwatch.StartNew();
        JsonElement status;
        while (true)
        {
            status = await drill.Get($"/api/segments/{SegmentId}");
            var progress = status.GetProperty("progress").GetDouble();
            Assert.True(
                status.GetProperty("status").GetString() == "building" && progress <= 0.8,
                $"the backfill got past 80% ({status.GetRawText()}) before the drill saw it at {killAt:P0}; it cannot be killed in the middle, seed {seed}\n{drill.Diagnostics()}");
            if (progress >= killAt)
            {
                break;
            }

            Assert.True(watch.Elapsed < Patience, $"the backfill did not reach {killAt:P0} within {Patience}: {status.GetRawText()}, seed {seed}\n{drill.Diagnostics()}");
            await Task.Delay(100);
        }

        var rate = status.GetProperty("progress").GetDouble() * Customers / (drill.Elapsed - saved).TotalSeconds;
        await drill.Gateway.KillAsync();
        var rowsAtKill = await drill.MemberRowsAsync(SegmentId);
        drill.Log($"killed with the backfill at {status.GetProperty("progress").GetDouble():P1} ({status.GetRawText()}), {(drill.Elapsed - saved).TotalSeconds:F1} s after the save "
            + $"(about {rate:N0} customers/s); {rowsAtKill:N0} of {expected.Count:N0} member rows written");
        Assert.True(rowsAtKill < expected.Count, $"all {expected.Count} members were written before the kill: {rowsAtKill}");

        await drill.StartAsync("restart");
        var restarted = drill.Elapsed;

        // No read of the segment yet: only the reminder may bring the backfill back.
        var rows = rowsAtKill;
        TimeSpan? resumed = null;
        watch.Restart();
        while (rows < expected.Count)
        {
            Assert.True(
                watch.Elapsed < (resumed is null ? ResumeWithin : ResumeWithin + Patience),
                resumed is null
                    ? $"the backfill did not resume within {ResumeWithin} of the restart: still {rows:N0} of {expected.Count:N0} member rows\n{drill.Diagnostics()}"
                    : $"the backfill resumed {resumed.Value.TotalSeconds:F1} s after the restart but wrote only {rows:N0} of {expected.Count:N0} member rows within {Patience} after\n{drill.Diagnostics()}");
            await Task.Delay(500);
            var now = await drill.MemberRowsAsync(SegmentId);
            if (now != rows && resumed is null)
            {
                resumed = drill.Elapsed - restarted;
                drill.Log($"the backfill resumed by itself {resumed.Value.TotalSeconds:F1} s after the restart was ready");
            }

            rows = now;
        }

        drill.Log($"every member row written, {(drill.Elapsed - restarted).TotalSeconds:F1} s after the restart was ready");

        watch.Restart();
        while (true)
        {
            status = await drill.Get($"/api/segments/{SegmentId}");
            if (status.GetProperty("status").GetString() == "ready")
            {
                break;
            }

            Assert.True(watch.Elapsed < Patience, $"the segment was not ready within {Patience} after its member rows were complete: {status.GetRawText()}\n{drill.Diagnostics()}");
            await Task.Delay(500);
        }

        drill.Log($"ready {(drill.Elapsed - restarted).TotalSeconds:F1} s after the restart was ready, {(drill.Elapsed - saved).TotalSeconds:F1} s after the save: {status.GetRawText()}");
        Assert.Equal(expected.Count, status.GetProperty("count").GetInt64());
        Assert.Equal(1.0, status.GetProperty("progress").GetDouble());

        var listed = await drill.AllMembersAsync(SegmentId);
        var duplicates = listed.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        var missing = expected.Except(listed, StringComparer.Ordinal).ToList();
        var extra = listed.Except(expected, StringComparer.Ordinal).ToList();
        Assert.True(
            duplicates.Count == 0 && missing.Count == 0 && extra.Count == 0,
            $"the pages listed {listed.Count:N0} ids for {expected.Count:N0} members: {duplicates.Count} listed twice ({string.Join(", ", duplicates.Take(10))}), "
            + $"{missing.Count} missing ({string.Join(", ", missing.Take(10))}), {extra.Count} not members ({string.Join(", ", extra.Take(10))})\n{drill.Diagnostics()}");
        Assert.True(listed.SequenceEqual(expected, StringComparer.Ordinal), "the pages did not list the members in key order");

        // The list of segments agrees.
        var list = await drill.Get("/api/segments");
        var item = list.EnumerateArray().Single(s => s.GetProperty("id").GetString() == SegmentId);
        Assert.Equal(expected.Count, item.GetProperty("count").GetInt64());
        Assert.Equal("ready", item.GetProperty("status").GetString());
        drill.Log(string.Create(CultureInfo.InvariantCulture, $"checked {listed.Count:N0} members of {Customers:N0} customers; {drill.Gateway.Starts} starts in all"));
    }
}
