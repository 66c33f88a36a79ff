using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Bench.Common;
using Waymark.Grains.Segments;
using Waymark.Storage.CustomerLog;
using Waymark.Testing;

namespace Waymark.Bench.Segments;

/// <summary>
/// The segment runtime's load on one database, in gateways one after the other over the same data, as an operator's node
/// restarted with another setting:
/// <list type="number">
/// <item>the customers are ingested over HTTP with their traits, and the node left to quieten; then it stops, so the
/// backfills find the customers collected, as a segment defined on a live node finds most of them;</item>
/// <item>at the default pace (<c>Waymark:Segments:BackfillPerSecond</c>), a new segment selecting every third customer
/// is backfilled, then a journey with a <c>schedule</c> trigger on it enrols its members; <see cref="BenchSettings.Runs"/>
/// rounds, each with a segment and a journey of its own;</item>
/// <item>the same at <see cref="BenchSettings.CeilingPace"/> (or whatever <see cref="BenchSettings.Paces"/> says);</item>
/// <item>with no gateway running, the customer log's own append rate on the same database (the baseline).</item>
/// </list>
/// </summary>
internal sealed class SegmentsLoad(BenchDatabase bench, BenchSettings settings)
{
    private const string Workspace = "default";

    /// <summary>Customers a backfill's page evaluates at once, and a broadcast's page enrols at once: a constant of
    /// <c>SegmentBackfillGrain</c> and <c>JourneyBroadcastGrain</c>.</summary>
    public const int GrainConcurrency = 32;

    /// <summary>Appends in flight in the baseline: enough that the log's group commit, not its callers, sets the rate
    /// (as in the runtime benchmark).</summary>
    public const int BaselineInFlight = 512;

    /// <summary>The node in which a broadcast's runs start and end.</summary>
    public const string ExitNode = "done";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly List<string> notes = [];

    private int Customers => settings.Customers;

    public async Task<DatabaseResult> MeasureAsync()
    {
        var ingest = await RoundAsync(null, IngestAsync);
        var paces = new List<PaceRuns>();
        var round = 0;
        foreach (var pace in settings.Paces)
        {
            var rounds = new List<PaceResult>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                round++;
                rounds.Add(await RoundAsync(pace, gateway => SegmentRoundAsync(gateway, pace, $"gold-{round}", $"broadcast-{round}")));
            }

            paces.Add(new PaceRuns(pace, rounds));
        }

        await Progress($"baseline: the customer log alone, {BaselineInFlight} appends in flight, {settings.Runs} × {settings.BaselineTime.TotalSeconds} s");
        var baseline = await SegmentBaseline.FromLogAsync(bench.Database);
        await baseline.RunAsync(BaselineInFlight, TimeSpan.FromSeconds(1)); // JIT, connections, statements
        var runs = new List<LogAppendRun>();
        for (var run = 1; run <= settings.Runs; run++)
        {
            runs.Add(await baseline.RunAsync(BaselineInFlight, settings.BaselineTime));
            await Progress($"baseline run {run}: {runs[^1].CustomersPerSecond:N0} customers/s, {runs[^1].Customers / (double)Math.Max(1, runs[^1].Transactions):N0} per commit");
        }

        var narrow = await baseline.RunAsync(GrainConcurrency, settings.BaselineTime);
        await Progress($"baseline with {GrainConcurrency} in flight: {narrow.CustomersPerSecond:N0} customers/s");
        return new DatabaseResult(bench.Name, bench.IsPostgres, await bench.DescribeAsync(), ingest, paces, runs, narrow, notes);
    }

    /// <summary>Starts a gateway on the database, at <paramref name="pace"/> if given, runs <paramref name="round"/>
    /// on it and stops it.</summary>
    private async Task<T> RoundAsync<T>(int? pace, Func<BenchGateway, Task<T>> round)
    {
        var configuration = new Dictionary<string, string?>(bench.Settings) { ["Logging:LogLevel:Default"] = "Warning" };
        if (pace is { } perSecond)
        {
            configuration[$"{SegmentOptions.Section}:{nameof(SegmentOptions.BackfillPerSecond)}"] = perSecond.ToString(CultureInfo.InvariantCulture);
        }

        await Progress($"starting the gateway{(pace is { } p ? $" at {p:N0} customers/s" : "")}");
        var gateway = new BenchGateway(configuration);
        try
        {
            gateway.StartServer();
            await UntilAsync(async () => (await Management(gateway).GetHosts(onlyActive: true)).Count == 1, "the previous gateway's silo to leave the cluster");
            return await round(gateway);
        }
        finally
        {
            await Progress("stopping the gateway");
            await gateway.StopAsync();
        }
    }

    private async Task<IngestResult> IngestAsync(BenchGateway gateway)
    {
        await Progress($"ingesting {Customers:N0} customers");
        using var load = new CustomerLoad(gateway.BaseAddress, settings);
        var meter = Meter(gateway);
        await load.IngestAsync(Customers);
        var use = await meter.StopAsync();
        var registry = await Log(gateway).CountCustomersAsync(Workspace);
        if (registry != Customers)
        {
            throw new InvalidOperationException($"The customer registry holds {registry:N0} customers after {Customers:N0} were ingested.");
        }

        // Settled: every answer meant durable, so what remains is the node's own after-work (statistics' flush, the
        // thread pool's growth giving back); wait until the process is nearly idle, as a node is when a designer
        // defines a segment on it.
        var settling = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(settling) < TimeSpan.FromSeconds(60))
        {
            var cpu = CpuMeter.Start();
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (cpu.Stop(TimeSpan.FromSeconds(1)).Process < 0.2)
            {
                break;
            }
        }

        await bench.AnalyzeAsync("waymark_customer_log", "orleansgrainstate");
        var result = new IngestResult(Customers, use, Stopwatch.GetElapsedTime(settling));
        await Progress($"{result.CustomersPerSecond:N0} customers/s ingested; settled in {result.Settling.TotalSeconds:0.0} s");
        return result;
    }

    private async Task<PaceResult> SegmentRoundAsync(BenchGateway gateway, int pace, string segment, string journey)
    {
        using var api = new ManagementApi(gateway.BaseAddress, BenchGateway.AdminKey, "benchmark", TimeSpan.FromMinutes(1));
        var backfill = await BackfillAsync(gateway, api, segment);
        await bench.AnalyzeAsync("waymark_customer_log", "orleansgrainstate", "waymark_segment_members");
        var broadcast = await BroadcastAsync(gateway, api, journey, segment, backfill.Members);
        return new PaceResult(pace, backfill, broadcast);
    }

    /// <summary>Saves a new segment and waits until <c>GET</c> says it is ready: every customer of the registry was
    /// evaluated against it.</summary>
    private async Task<BackfillResult> BackfillAsync(BenchGateway gateway, ManagementApi api, string segment)
    {
        await Progress($"backfilling segment {segment} over {Customers:N0} customers");
        var meter = Meter(gateway);
        await api.PutAsync($"/api/segments/{segment}", new
        {
            name = $"Benchmark: {CustomerLoad.Trait} {CustomerLoad.SelectedTier} ({segment})",
            where = new { trait = CustomerLoad.Trait, op = "eq", value = CustomerLoad.SelectedTier },
        });
        var (started, said) = (Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp());
        JsonElement document;
        while ((document = await api.GetAsync($"/api/segments/{segment}")).GetProperty("status").GetString() != "ready")
        {
            if (Stopwatch.GetElapsedTime(said) > TimeSpan.FromSeconds(15))
            {
                said = Stopwatch.GetTimestamp();
                await Progress($"{segment}: {document.GetProperty("progress").GetDouble():P0}, {document.GetProperty("count").GetInt64():N0} members");
            }

            await Pause(started, $"segment {segment} to be ready");
        }

        var use = await meter.StopAsync();
        var members = document.GetProperty("count").GetInt64();
        if (members != CustomerLoad.Selected(Customers))
        {
            notes.Add($"Segment {segment} counted {members:N0} members once ready; {CustomerLoad.Selected(Customers):N0} customers have the trait.");
        }

        var registry = await Log(gateway).CountCustomersAsync(Workspace);
        var result = new BackfillResult(registry, members, await CustomerGrainsAsync(gateway), use);
        await Progress($"{segment} ready in {use.Elapsed.TotalSeconds:0.0} s: {result.CustomersPerSecond:N0} customers/s, {members:N0} members");
        return result;
    }

    /// <summary>Publishes a journey whose <c>schedule</c> trigger fires on <paramref name="segment"/>
    /// <see cref="BenchSettings.Lead"/> ahead, and measures from its <c>at</c> until the statistics count every member
    /// entered.</summary>
    private async Task<BroadcastResult> BroadcastAsync(BenchGateway gateway, ManagementApi api, string journey, string segment, long members)
    {
        var now = gateway.Clock.GetUtcNow();
        var at = DateTimeOffset.FromUnixTimeSeconds((now + settings.Lead).ToUnixTimeSeconds() + 1);
        await Progress($"broadcast {journey}: {members:N0} members at {at:HH:mm:ss}");
        await api.PublishAsync(journey, Canvas(journey, segment, at));
        var ahead = at - gateway.Clock.GetUtcNow();
        if (ahead <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Publishing took past the schedule's time ({-ahead.TotalSeconds:0.0} s late): raise --lead-seconds.");
        }

        await Task.Delay(ahead);
        var meter = Meter(gateway);
        var (started, said) = (Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp());
        long entered;
        while ((entered = await EnteredAsync(api, journey)) < members)
        {
            if (Stopwatch.GetElapsedTime(said) > TimeSpan.FromSeconds(15))
            {
                said = Stopwatch.GetTimestamp();
                await Progress($"{journey}: {entered:N0} of {members:N0} entered");
            }

            await Pause(started, $"every member to enter {journey}");
        }

        var use = await meter.StopAsync();
        if (entered > members)
        {
            notes.Add($"Journey {journey} counted {entered:N0} entries for {members:N0} members.");
        }

        var (first, last, logged) = await EntriesAsync(journey);
        if (logged != members)
        {
            notes.Add($"The log holds {logged:N0} entries into {journey} for {members:N0} members.");
        }

        var result = new BroadcastResult(members, first - at, last - at, use);
        await Progress($"{journey}: {result.MembersPerSecond:N0} members/s ({use.Elapsed.TotalSeconds:0.0} s to the statistics, {(last - at).TotalSeconds:0.0} s to the last entry)");
        return result;
    }

    /// <summary>A broadcast: every member of <paramref name="segment"/> at <paramref name="at"/> enters, and leaves at once.</summary>
    private static JsonObject Canvas(string journey, string segment, DateTimeOffset at) => new JsonObject
    {
        ["name"] = $"Benchmark broadcast ({journey})",
        ["trigger"] = new JsonObject { ["type"] = "schedule", ["segment"] = segment, ["at"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
        ["entry"] = new JsonObject { ["reentry"] = "always" },
        ["start"] = ExitNode,
        ["nodes"] = new JsonArray(new JsonObject { ["id"] = ExitNode, ["type"] = "exit" }),
    };

    private static async Task<long> EnteredAsync(ManagementApi api, string journey) =>
        (await api.StatsAsync(journey)).GetProperty("nodes").TryGetProperty(ExitNode, out var node) ? node.GetProperty("entered").GetInt64() : 0;

    /// <summary>The first and last <c>entered</c> items of <paramref name="journey"/> in the log (each stamped with the
    /// time its round ran), and how many there are.</summary>
    private async Task<(DateTimeOffset First, DateTimeOffset Last, long Count)> EntriesAsync(string journey)
    {
        await using var connection = bench.Database.CreateConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT at, payload FROM waymark_customer_log WHERE workspace = '{Workspace}' AND kind = 'entered'";
        command.CommandTimeout = 300;
        var (first, last, count) = (DateTimeOffset.MaxValue, DateTimeOffset.MinValue, 0L);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var payload = JsonDocument.Parse(reader.GetString(1));
            if (payload.RootElement.TryGetProperty("journey", out var of) && of.GetString() == journey)
            {
                var at = BenchDatabase.LogTime(reader.GetValue(0));
                (first, last, count) = (at < first ? at : first, at > last ? at : last, count + 1);
            }
        }

        return (first, last, count);
    }

    private static async Task<int> CustomerGrainsAsync(BenchGateway gateway)
    {
        var statistics = await Management(gateway).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("CustomerGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    private static IManagementGrain Management(BenchGateway gateway) => gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

    private static SqlCustomerLog Log(BenchGateway gateway) => (SqlCustomerLog)gateway.Services.GetRequiredService<ICustomerLog>();

    private static PhaseMeter Meter(BenchGateway gateway) => PhaseMeter.Start(Log(gateway), gateway.Logs);

    /// <summary>Between two polls of a phase that started at <paramref name="started"/>; a phase that takes longer than
    /// <see cref="Patience"/> is stuck.</summary>
    private static Task Pause(long started, string what) =>
        Stopwatch.GetElapsedTime(started) > Patience ? throw new TimeoutException($"Waited {Patience} for {what}.") : Task.Delay(Poll);

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await done())
        {
            await Pause(started, what);
        }
    }

    private Task Progress(string line) => BenchRun.Progress($"{bench.Name}: {line}");
}
