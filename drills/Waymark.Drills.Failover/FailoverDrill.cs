using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Drills.Common;
using Waymark.Testing;

namespace Waymark.Drills.Failover;

/// <summary>
/// The failover drill (issue 9): on a fresh PostgreSQL database, two silo processes form a cluster and a gateway joins
/// it as an Orleans client. Customers enter a journey that waits (<see cref="FailoverDrillOptions.Wait"/>) and then sends
/// a webhook to a loopback receiver, their triggers spread so that the waits fall due over some time. Shortly before
/// the first wait is due, the silo hosting most of the timer wheel's shards is killed with SIGKILL. Then every wait must
/// fire on the survivor within <see cref="FailoverDrillOptions.Bound"/> of its due time, each exactly once, with one
/// message each, and the journey's counts must add up. Lateness is reported for the customers whose timer shard or
/// whose activation the killed silo held, apart from the rest.
/// </summary>
public static class FailoverDrill
{
    public const string JourneyId = "failover-drill";
    private const string Trigger = "failover_drill_started";
    private const string WriteKey = "failover-drill-write-key-01";
    private const string AdminKey = "failover-drill-admin-key-01";
    private const string WebhookSecret = "whsec-failover-drill-0123456789";

    /// <summary>Customers per ingestion call.</summary>
    private const int BatchSize = 20;

    /// <summary>How long after the last wait's bound the drill still waits for messages before it checks what it has.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>How long before the kill the drill looks where the shards and customers are.</summary>
    private static readonly TimeSpan LookBeforeKill = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan StartWithin = TimeSpan.FromMinutes(3);

    /// <summary>The silo's entry assembly, in its own output folder (the project file names it).</summary>
    public static string SiloDll => typeof(FailoverDrill).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SiloDll").Value!;

    /// <summary>Runs the drill; <paramref name="log"/> gets its progress. The report says what held.</summary>
    public static async Task<FailoverDrillReport> RunAsync(FailoverDrillOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        void Log(string line) => log(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:F1} s] {line}"));
        var report = new FailoverDrillReport(options);

        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var cluster = new Dictionary<string, string?>
        {
            ["Waymark:Storage:Provider"] = "postgres",
            // Each process keeps its own pool; a killed one's connections end with it.
            ["ConnectionStrings:Waymark"] = database.ConnectionString + ";Maximum Pool Size=20",
            ["Waymark:Timers:Shards"] = options.Shards.ToString(CultureInfo.InvariantCulture),
        };
        await using var silo1 = new SiloProcess(SiloDll, cluster, "silo 1");
        await using var silo2 = new SiloProcess(SiloDll, cluster, "silo 2");
        await using var gateway = new GatewayProcess(GatewayAssembly.Location, new Dictionary<string, string?>(cluster)
        {
            ["Waymark:Hosting:Mode"] = "client",
            ["Waymark:Bootstrap:WriteKey"] = WriteKey,
            ["Waymark:Bootstrap:AdminKey"] = AdminKey,
        });
        SiloProcess[] silos = [silo1, silo2];
        var processes = new (string Name, WaymarkProcess Process)[] { ("silo 1", silo1), ("silo 2", silo2), ("gateway", gateway) };
        try
        {
            // Together, as an orchestrator starts them: the schema migration is serialized by a database lock.
            var started = await Task.WhenAll(silos.Select(s => s.StartAsync(StartWithin)));
            var gatewayStarted = await gateway.StartAsync(StartWithin);
            report.Figure($"starts: silos ready after {started[0].TotalSeconds:F1} s and {started[1].TotalSeconds:F1} s, then the gateway (client mode) after {gatewayStarted.TotalSeconds:F1} s");
            Log($"silos on ports {silo1.SiloPort} and {silo2.SiloPort} and the gateway at {gateway.BaseAddress} are ready");

            await using var view = await ClusterView.ConnectAsync(cluster);
            using var api = new ManagementApi(gateway.BaseAddress, AdminKey, "failover drill", timeout: TimeSpan.FromSeconds(30), retryFor: TimeSpan.FromSeconds(90));
            await api.ConfigureWebhookAsync(receiver.Url, WebhookSecret);
            await api.PublishAsync(JourneyId, Canvas(options.Wait));
            Log($"journey {JourneyId} published (wait {options.Wait.TotalSeconds:F0} s, then a webhook to {receiver.Url})");

            var customers = Enumerable.Range(0, options.Customers).Select(i => $"u-failover-{i:D5}").ToArray();
            var firstSent = DateTimeOffset.UtcNow;
            var enrolled = await EnrolAsync(gateway.BaseAddress, customers, options.EnrolOver);
            Log($"{customers.Length:N0} customers entered in {(DateTimeOffset.UtcNow - firstSent).TotalSeconds:F1} s ({enrolled.Retried} attempts retried)");

            // The first call's customers are the first to fall due; their timelines say exactly when.
            var firstCall = await Task.WhenAll(customers.Take(BatchSize).Select(c => CustomerOutcome.ReadAsync(api, c, options.Wait)));
            var killAt = (firstCall.Min(o => o.Due) ?? firstSent + options.Wait) - options.KillLead;
            await DelayUntilAsync(killAt - LookBeforeKill);
            var placement = await view.PlacementAsync(options.Shards, customers);
            var byShards = silos.OrderByDescending(s => Count(placement.ShardPorts, s)).ToList();
            var victim = options.KillShardHolder ? byShards[0] : byShards[^1];
            var survivor = silos.Single(s => s != victim);
            Log($"{Name(victim)} holds {Count(placement.ShardPorts, victim)} of {options.Shards} shards and {Count(placement.CustomerPorts, victim):N0} customers; "
                + $"{Name(survivor)} {Count(placement.ShardPorts, survivor)} shards and {Count(placement.CustomerPorts, survivor):N0} customers");

            await DelayUntilAsync(killAt);
            var killedAt = DateTimeOffset.UtcNow;
            await victim.KillAsync();
            Log($"killed {Name(victim)} (SIGKILL)");

            var lastDue = enrolled.LastAcknowledged + options.Wait;
            var watch = WatchFailoverAsync(view, victim, survivor, lastDue + options.Bound);
            await WaitForMessagesAsync(receiver, customers.Length, lastDue + options.Bound + Grace, Log);
            var (declaredDead, shardsRestarted) = await watch;

            var outcomes = await ReadOutcomesAsync(api, customers, options.Wait);
            var stats = await SettledStatsAsync(api, customers.Length);
            Log("read every customer's timeline and the journey's counts");

            report.Figure($"killed {Name(victim)} at {killedAt:HH:mm:ss.fff} UTC; membership declared it dead {Since(killedAt, declaredDead)}; "
                + $"{Name(survivor)} re-activated the timer shards {Since(killedAt, shardsRestarted)}");
            Judge(report, options, customers, enrolled, outcomes, receiver.Deliveries, stats, placement, victim, killedAt);
            if (options.LogDirectory is { } folder)
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllLinesAsync(Path.Combine(folder, "customers.csv"), OutcomeRows(customers, outcomes, placement, victim, receiver.Deliveries));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or OrleansException or JsonException or KeyNotFoundException)
        {
            report.Check("the drill ran to its end", false, e.ToString());
        }

        report.Figure($"drill took {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var (name, process) in processes)
        {
            report.Diagnose(Diagnostics(name, process));
            if (options.LogDirectory is { } folder)
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllLinesAsync(Path.Combine(folder, name.Replace(' ', '-') + ".log"), process.Output());
            }
        }

        return report;

        string Name(SiloProcess silo) => silo == silo1 ? "silo 1" : "silo 2";
    }

    /// <summary>The drill's journey: wait, send one webhook naming the customer, exit.</summary>
    public static JsonNode Canvas(TimeSpan wait) => JsonNode.Parse($$$"""
        {
          "name": "Failover drill",
          "trigger": { "type": "event", "event": "{{{Trigger}}}" },
          "start": "wait",
          "nodes": [
            { "id": "wait", "type": "wait", "duration": "PT{{{(int)wait.TotalSeconds}}}S", "next": "notify" },
            { "id": "notify", "type": "send", "channel": "webhook", "category": "transactional",
              "template": { "payload": { "customer": "{{ customer.id }}", "message": "{{ message.id }}" } }, "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    /// <summary>What the checks say of the outcomes; every figure the report shows beside them.</summary>
    private static void Judge(
        FailoverDrillReport report,
        FailoverDrillOptions options,
        string[] customers,
        Enrolment enrolled,
        Dictionary<string, CustomerOutcome> outcomes,
        IReadOnlyList<WebhookDelivery> hooks,
        JsonElement stats,
        Placement placement,
        SiloProcess victim,
        DateTimeOffset killedAt)
    {
        var all = customers.Select(c => outcomes[c]).ToList();
        var deadShards = placement.ShardPorts.Where(s => s.Value == victim.SiloPort).Select(s => s.Key).ToHashSet();
        var onDeadShard = all.Where(o => deadShards.Contains(placement.CustomerShards[o.Customer])).ToList();
        var onDeadSilo = all.Where(o => placement.CustomerPorts.GetValueOrDefault(o.Customer) == victim.SiloPort).ToList();
        var untouched = all.Except(onDeadShard).Except(onDeadSilo).ToList();
        var lateness = all.SelectMany(o => o.Lateness).ToList();
        var firstDue = all.Where(o => o.Due is not null).Select(o => o.Due!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

        report.Figure($"wait fired − due, all customers:            {FailoverDrillReport.Spread(lateness)}");
        report.Figure($"  whose timer shard was on the killed silo: {FailoverDrillReport.Spread(onDeadShard.SelectMany(o => o.Lateness))}");
        report.Figure($"  active on the killed silo:                {FailoverDrillReport.Spread(onDeadSilo.SelectMany(o => o.Lateness))}");
        report.Figure($"  neither:                                  {FailoverDrillReport.Spread(untouched.SelectMany(o => o.Lateness))}");
        var arrivals = hooks.Where(h => h.Customer is not null && outcomes.GetValueOrDefault(h.Customer)?.Due is not null)
            .Select(h => h.At - outcomes[h.Customer!].Due!.Value);
        report.Figure($"webhook received − due:                     {FailoverDrillReport.Spread(arrivals)}");

        report.Check("every customer entered once", enrolled.Acknowledged == enrolled.Calls && all.All(o => o.Entries == 1),
            $"{enrolled.Acknowledged} of {enrolled.Calls} calls acknowledged; {all.Count(o => o.Entries == 1):N0} of {all.Count:N0} customers entered once"
            + Examples(all.Where(o => o.Entries != 1)));
        report.Check("the kill hit waiting customers", killedAt < firstDue && (onDeadShard.Count > 0 || !options.KillShardHolder) && onDeadSilo.Count > 0,
            $"killed {(firstDue - killedAt).TotalSeconds:F1} s before the first wait was due; it held {deadShards.Count} of {options.Shards} shards "
            + $"({onDeadShard.Count:N0} customers' wake-ups) and {onDeadSilo.Count:N0} customers' activations");
        report.Check("no wait lost", all.All(o => o.Lateness.Count > 0),
            $"{all.Count(o => o.Lateness.Count > 0):N0} of {all.Count:N0} customers moved on from the wait" + Examples(all.Where(o => o.Lateness.Count == 0)));
        report.Check("no wait fired twice", all.All(o => o.Lateness.Count <= 1),
            $"{all.Count(o => o.Lateness.Count > 1)} customers moved on from the wait more than once" + Examples(all.Where(o => o.Lateness.Count > 1)));
        report.Check("no wait fired early", lateness.All(l => l >= TimeSpan.Zero),
            $"{lateness.Count(l => l < TimeSpan.Zero)} waits fired before they were due");
        report.Check($"every wait fired within {options.Bound.TotalSeconds:F0} s of its due time", lateness.Count > 0 && lateness.Max() <= options.Bound,
            $"the latest fired {(lateness.Count > 0 ? lateness.Max().TotalSeconds : double.NaN):F1} s after it was due; {lateness.Count(l => l > options.Bound)} beyond the bound"
            + Examples(all.Where(o => o.Lateness.Any(l => l > options.Bound))));

        var hooksByCustomer = hooks.Where(h => h.Customer is not null).ToLookup(h => h.Customer!, StringComparer.Ordinal);
        var oneMessage = all.Where(o => o.SentIds.Count == 1 && hooksByCustomer[o.Customer].Select(h => h.MessageId).SequenceEqual(o.SentIds)).ToList();
        var strangers = hooks.Count(h => h.Customer is null || !outcomes.ContainsKey(h.Customer));
        report.Check("one message per customer, delivered once", oneMessage.Count == all.Count && strangers == 0,
            $"{oneMessage.Count:N0} of {all.Count:N0} customers recorded one sent message whose id the receiver got exactly once; "
            + $"{hooks.Count:N0} requests in all, {strangers} for nobody in the drill" + Examples(all.Except(oneMessage), o => $"{o.Customer} (recorded {string.Join(", ", o.SentIds)}; received {string.Join(", ", hooksByCustomer[o.Customer].Select(h => h.MessageId))})"));
        report.Check("every run ended at the exit", all.All(o => o.ExitedAtDone),
            $"{all.Count(o => o.ExitedAtDone):N0} of {all.Count:N0} runs exited at done" + Examples(all.Where(o => !o.ExitedAtDone)));

        var expected = ExpectedCounts(customers.Length);
        var counts = stats.ValueKind == JsonValueKind.Object
            ? stats.GetProperty("nodes").EnumerateObject().ToDictionary(n => n.Name, n => Normalized(n.Value), StringComparer.Ordinal)
            : [];
        report.Check("the journey's counts add up", expected.Count == counts.Count && expected.All(e => counts.GetValueOrDefault(e.Key) == e.Value),
            string.Join("; ", counts.Select(c => $"{c.Key} {c.Value}")) + (expected.All(e => counts.GetValueOrDefault(e.Key) == e.Value) ? "" : $" (expected {string.Join("; ", expected.Select(e => $"{e.Key} {e.Value}"))})"));
    }

    /// <summary>One line per customer, for a closer look at a run: where it lived, when its wait was due, and how late
    /// its wait fired and its message arrived.</summary>
    private static IEnumerable<string> OutcomeRows(
        string[] customers, Dictionary<string, CustomerOutcome> outcomes, Placement placement, SiloProcess victim, IReadOnlyList<WebhookDelivery> hooks)
    {
        var arrived = hooks.Where(h => h.Customer is not null).GroupBy(h => h.Customer!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(h => h.At), StringComparer.Ordinal);
        yield return "customer,shard,shard_on_killed_silo,active_on_killed_silo,due,fired_late_s,received_late_s";
        foreach (var customer in customers)
        {
            var outcome = outcomes[customer];
            var shard = placement.CustomerShards[customer];
            yield return string.Join(',',
                customer,
                shard,
                placement.ShardPorts.GetValueOrDefault(shard) == victim.SiloPort,
                placement.CustomerPorts.GetValueOrDefault(customer) == victim.SiloPort,
                outcome.Due?.ToString("O", CultureInfo.InvariantCulture),
                string.Join('/', outcome.Lateness.Select(l => l.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture))),
                arrived.TryGetValue(customer, out var at) && outcome.Due is { } due ? (at - due).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) : "");
        }
    }

    private static string Examples(IEnumerable<CustomerOutcome> failing, Func<CustomerOutcome, string>? describe = null)
    {
        var some = failing.Take(3).Select(describe ?? (o => o.ToString())).ToList();
        return some.Count == 0 ? "" : "; such as " + string.Join(" | ", some);
    }

    /// <summary>Every customer's trigger, <see cref="BatchSize"/> to a call, the calls spread evenly over <paramref name="over"/>
    /// and retried as an SDK retries until acknowledged.</summary>
    private static async Task<Enrolment> EnrolAsync(Uri gateway, string[] customers, TimeSpan over)
    {
        using var writer = new RetryingWriter(gateway, WriteKey);
        var batches = customers.Chunk(BatchSize).ToList();
        var start = DateTimeOffset.UtcNow;
        var acknowledged = new ConcurrentBag<DateTimeOffset>();
        await Task.WhenAll(batches.Select(async (batch, i) =>
        {
            await DelayUntilAsync(start + (over * i / batches.Count));
            var body = new JsonObject
            {
                ["batch"] = new JsonArray([.. batch.Select(c => new JsonObject
                {
                    ["type"] = "track", ["userId"] = c, ["event"] = Trigger, ["messageId"] = $"m-{c}",
                })]),
            };
            await writer.SendAsync("/v1/batch", body.ToJsonString());
            acknowledged.Add(DateTimeOffset.UtcNow);
        }));
        return new Enrolment(batches.Count, writer.Acknowledged, writer.Retried, acknowledged.Max());
    }

    /// <summary>Watches, after the kill, when membership declares the victim dead and when the survivor says it re-activates
    /// the shards; either is null if it was not seen by <paramref name="until"/>.</summary>
    private static async Task<(DateTimeOffset? DeclaredDead, DateTimeOffset? ShardsRestarted)> WatchFailoverAsync(
        ClusterView view, SiloProcess victim, SiloProcess survivor, DateTimeOffset until)
    {
        DateTimeOffset? dead = null, restarted = null;
        while ((dead is null || restarted is null) && DateTimeOffset.UtcNow < until)
        {
            if (dead is null && await view.StatusAsync(victim.SiloPort) == SiloStatus.Dead)
            {
                dead = DateTimeOffset.UtcNow;
            }

            if (restarted is null && survivor.Output().Any(line => line.Contains("was declared dead: activating the timer wheel", StringComparison.Ordinal)))
            {
                restarted = DateTimeOffset.UtcNow;
            }

            await Task.Delay(200);
        }

        return (dead, restarted);
    }

    private static async Task WaitForMessagesAsync(WebhookReceiver receiver, int customers, DateTimeOffset deadline, Action<string> log)
    {
        var reported = DateTimeOffset.UtcNow;
        while (receiver.Customers < customers && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(500);
            if (DateTimeOffset.UtcNow - reported > TimeSpan.FromSeconds(10))
            {
                log($"{receiver.Customers:N0} of {customers:N0} customers' messages received");
                reported = DateTimeOffset.UtcNow;
            }
        }

        log($"{receiver.Customers:N0} of {customers:N0} customers' messages received; checking");
    }

    private static async Task<Dictionary<string, CustomerOutcome>> ReadOutcomesAsync(ManagementApi api, string[] customers, TimeSpan wait)
    {
        var outcomes = new ConcurrentDictionary<string, CustomerOutcome>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, _) =>
            outcomes[customer] = await CustomerOutcome.ReadAsync(api, customer, wait));
        return new(outcomes, StringComparer.Ordinal);
    }

    /// <summary>The journey's counts once they settled (flushed about once a second): every run exited, nobody is anywhere.</summary>
    private static async Task<JsonElement> SettledStatsAsync(ManagementApi api, int customers)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var stats = await api.StatsAsync(JourneyId);
            var nodes = stats.GetProperty("nodes");
            var settled = nodes.EnumerateObject().All(n => n.Value.GetProperty("current").GetInt64() == 0)
                && nodes.TryGetProperty("done", out var done) && done.GetProperty("exited").TryGetProperty("exit_node", out var exits)
                && exits.GetInt64() >= customers;
            if (settled || DateTimeOffset.UtcNow > deadline)
            {
                return stats;
            }

            await Task.Delay(500);
        }
    }

    private static Dictionary<string, string> ExpectedCounts(int customers) => new(StringComparer.Ordinal)
    {
        ["wait"] = Counts(customers, customers, 0, []),
        ["notify"] = Counts(customers, customers, 0, []),
        ["done"] = Counts(customers, 0, 0, [("exit_node", customers)]),
    };

    private static string Normalized(JsonElement count) => Counts(
        count.GetProperty("entered").GetInt64(),
        count.GetProperty("movedOn").GetInt64(),
        count.GetProperty("current").GetInt64(),
        [.. count.GetProperty("exited").EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => (e.Name, e.Value.GetInt64()))]);

    private static string Counts(long entered, long movedOn, long current, (string Reason, long Count)[] exited) =>
        $"entered {entered}, movedOn {movedOn}, current {current}, exited {{{string.Join(", ", exited.Select(e => $"{e.Reason} {e.Count}"))}}}";

    private static int Count<TKey>(IReadOnlyDictionary<TKey, int> ports, SiloProcess silo) => ports.Values.Count(port => port == silo.SiloPort);

    private static string Since(DateTimeOffset killedAt, DateTimeOffset? at) =>
        at is { } seen ? $"{(seen - killedAt).TotalSeconds:F1} s after the kill" : "(not seen)";

    private static async Task DelayUntilAsync(DateTimeOffset at)
    {
        var left = at - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }
    }

    /// <summary>A process's warnings and errors (the last 15) and its last lines, for a failed run.</summary>
    private static string Diagnostics(string name, WaymarkProcess process)
    {
        var warnings = process.Output().Where(l => l.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal)
            || l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)).ToList();
        return $"--- {name}: {warnings.Count} warnings and errors (last 15) ---\n{string.Join('\n', warnings.TakeLast(15).Select(Shortened))}\n--- {name} ---\n{process.Tail(20)}";

        static string Shortened(string line) => line.Length <= 600 ? line : line[..600] + "…";
    }

    /// <summary>How the triggers went: calls made and acknowledged, attempts retried, and when the last was acknowledged.</summary>
    private sealed record Enrolment(int Calls, int Acknowledged, int Retried, DateTimeOffset LastAcknowledged);
}
