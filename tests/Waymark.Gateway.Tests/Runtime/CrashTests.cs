using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Testing;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Runtime;

/// <summary>
/// Issue 6's crash test, on PostgreSQL: the gateway (hosting its silo) runs as a child process and is killed hard
/// (SIGKILL of the process tree) at random moments while customers are entering a journey, waiting in it and being
/// sent its messages, then started again on the same database. Afterwards, through the HTTP API only, every customer
/// has run the journey exactly once: every acknowledged event is there once, no step skipped or repeated, each send
/// step one message id, delivered once, and the journey's counts add up.
/// Set <c>WAYMARK_CRASH_SEED</c> to replay the kill moments and load of a failed run (the seed is in the test output).
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string WriteKey = "crash-drill-write-key-01";
    private const string AdminKey = "crash-drill-admin-key-01";
    private const string JourneyId = "crash-drill";
    private const string Trigger = "drill_started";
    private const int Customers = 300;
    private const int Kills = 3;

    /// <summary>How long after a start is ready its wave of requests is spread.</summary>
    private static readonly TimeSpan WaveSpread = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>The moves every run makes, in order: wait → first → wait2 → second → done.</summary>
    private static readonly (string From, string To)[] Path =
        [("wait", "first"), ("first", "wait2"), ("wait2", "second"), ("second", "done")];

    private PostgresDatabase database = null!;
    private GatewayProcess gateway = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        gateway = new GatewayProcess(typeof(Program).Assembly.Location, new Dictionary<string, string?>
        {
            ["Waymark:Storage:Provider"] = "postgres",
            // Each process of the drill keeps its own pool; a killed one's connections end with it.
            ["ConnectionStrings:Waymark"] = database.ConnectionString + ";Maximum Pool Size=20",
            ["Waymark:Bootstrap:WriteKey"] = WriteKey,
            ["Waymark:Bootstrap:AdminKey"] = AdminKey,
        });
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await database.DisposeAsync();
    }

    private static JsonNode Canvas() => JsonNode.Parse($$"""
        {
          "name": "Crash drill",
          "trigger": { "type": "event", "event": "{{Trigger}}" },
          "start": "wait",
          "nodes": [
            { "id": "wait", "type": "wait", "duration": "PT1S", "next": "first" },
            { "id": "first", "type": "send", "channel": "inapp", "category": "transactional", "template": { "title": "first", "body": "The first message" }, "next": "wait2" },
            { "id": "wait2", "type": "wait", "duration": "PT2S", "next": "second" },
            { "id": "second", "type": "send", "channel": "inapp", "category": "transactional", "template": { "title": "second", "body": "The second message" }, "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    [Fact]
    public async Task Customers_resume_after_hard_kills_under_load_with_no_step_skipped_and_no_second_message_on_postgres()
    {
        var seed = Environment.GetEnvironmentVariable("WAYMARK_CRASH_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        Log($"seed {seed} (set WAYMARK_CRASH_SEED={seed} to replay this run's load and kill moments)");
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();

        Log($"first start ready after {(await gateway.StartAsync()).TotalSeconds:F1} s");
        using var admin = Api(AdminKey);
        await PublishAsync(admin);
        var inboxSecret = (await admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings")).GetProperty("inboxSecret").GetString()!;

        // Every customer's trigger, with its own message id, in requests of one to four customers. The requests come in
        // waves, one after each start: a wave is spread over the few seconds after its start was ready, and that start
        // is killed at a random moment once a random part of its wave was acknowledged (a moment counted in progress,
        // not in seconds, as a slow machine takes a while to answer the first calls of a start). So every kill finds
        // calls in flight, runs entered and waiting, and the sends of runs that fell due during the previous outage;
        // the rest of the wave meets a process that is down.
        var customers = Enumerable.Range(0, Customers).Select(i => $"u-crash-{i:D3}").ToArray();
        var messageIds = customers.ToDictionary(c => c, c => $"m-{seed}-{c}", StringComparer.Ordinal);
        var requests = Chunks(customers, random)
            .Select(chunk => (Wave: random.Next(Kills + 1), At: TimeSpan.FromMilliseconds(random.Next((int)WaveSpread.TotalMilliseconds)), Customers: chunk, Twice: random.Next(10) == 0))
            .ToList();
        var killAfter = Enumerable.Range(0, Kills)
            .Select(k => (Share: 0.2 + (0.6 * random.NextDouble()), Then: TimeSpan.FromMilliseconds(random.Next(0, 1_000)))).ToList();
        var downtimes = Enumerable.Range(0, Kills).Select(_ => TimeSpan.FromMilliseconds(random.Next(0, 1_000))).ToList();
        var ready = Enumerable.Range(0, Kills + 1).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        Log($"{requests.Count} requests in waves of {string.Join(", ", requests.GroupBy(r => r.Wave).OrderBy(w => w.Key).Select(w => w.Count()))}; "
            + $"each start killed {string.Join(", ", killAfter.Select(m => $"{m.Then.TotalSeconds:F1} s after {m.Share:P0}"))} of its wave was acknowledged");

        using var writer = new RetryingWriter(gateway.BaseAddress, WriteKey);
        var inFlight = new ConcurrentBag<(DateTimeOffset Sent, DateTimeOffset Acknowledged)>();
        var load = Task.WhenAll(requests.Select(async request =>
        {
            await ready[request.Wave].Task;
            await Task.Delay(request.At);
            var (path, body) = Body(request.Customers, messageIds);
            var sent = DateTimeOffset.UtcNow;
            await writer.SendAsync(path, body);
            inFlight.Add((sent, DateTimeOffset.UtcNow));
            if (request.Twice)
            {
                await writer.SendAsync(path, body); // a client's retry after all: the same message ids apply once
            }
        }));

        var kills = new List<DateTimeOffset>();
        for (var k = 0; k < Kills; k++)
        {
            var target = writer.Acknowledged + (int)Math.Ceiling(killAfter[k].Share * requests.Count(r => r.Wave == k));
            ready[k].SetResult();
            var waited = Stopwatch.StartNew();
            while (writer.Acknowledged < target && waited.Elapsed < Patience)
            {
                await Task.Delay(20);
            }

            await Task.Delay(killAfter[k].Then);
            kills.Add(DateTimeOffset.UtcNow);
            await gateway.KillAsync();
            Log($"kill {k + 1}, {waited.Elapsed.TotalSeconds:F1} s after start {k + 1} was ready: {writer.Acknowledged} calls acknowledged so far");
            await Task.Delay(downtimes[k]);
            Log($"restart {k + 1} ready after {(await gateway.StartAsync()).TotalSeconds:F1} s");
        }

        ready[Kills].SetResult();
        await load;
        Log($"load done: {writer.Acknowledged} calls acknowledged, {writer.Retried} attempts retried "
            + $"({string.Join(", ", writer.Failures.Select(f => $"{f.Key}: {f.Value}"))})");

        using var reader = Api(AdminKey);
        var timelines = await AllRunsEnded(reader, customers);
        Log($"every run ended, {clock.Elapsed.TotalSeconds:F1} s into the test");
        for (var k = 0; k < Kills; k++)
        {
            Log($"kill {k + 1} interrupted {Interrupted(kills[k], timelines.Values, inFlight)}");
        }

        using var inboxReader = new HttpClient { BaseAddress = gateway.BaseAddress };
        inboxReader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(customers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, _) =>
        {
            var inbox = await Inbox(inboxReader, inboxSecret, customer);
            foreach (var problem in Check(messageIds[customer], timelines[customer], inbox))
            {
                problems.Add($"{customer}: {problem}\n  timeline (oldest first): {Describe(timelines[customer])}\n  inbox: {string.Join(", ", inbox.Select(m => m.GetRawText()))}");
            }
        });
        Assert.True(problems.IsEmpty, $"{problems.Count} problems, seed {seed}:\n{string.Join("\n", problems.Order(StringComparer.Ordinal).Take(10))}\n{Diagnostics()}");

        var stats = await CountsSettled(reader);
        var counts = stats.GetProperty("nodes").EnumerateObject().ToDictionary(n => n.Name, n => n.Value, StringComparer.Ordinal);
        foreach (var (node, count) in counts)
        {
            var exited = count.GetProperty("exited").EnumerateObject().Sum(e => e.Value.GetInt64());
            Assert.True(
                count.GetProperty("entered").GetInt64() == count.GetProperty("current").GetInt64() + count.GetProperty("movedOn").GetInt64() + exited,
                $"node {node}: entered ≠ current + movedOn + exited in {stats.GetRawText()}, seed {seed}\n{Diagnostics()}");
        }

        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["wait"] = Counts(entered: Customers, movedOn: Customers),
            ["first"] = Counts(entered: Customers, movedOn: Customers),
            ["wait2"] = Counts(entered: Customers, movedOn: Customers),
            ["second"] = Counts(entered: Customers, movedOn: Customers),
            ["done"] = Counts(entered: Customers, movedOn: 0, exitNode: Customers),
        };
        Assert.True(
            expected.Count == counts.Count && expected.All(e => counts.TryGetValue(e.Key, out var c) && Normalized(c) == e.Value),
            $"counts after the drill: {stats.GetRawText()}\nexpected:\n{string.Join('\n', expected.Select(e => $"  {e.Key}: {e.Value}"))}\nseed {seed}\n{Diagnostics()}");
        Log($"checked {Customers} customers and the counts, {clock.Elapsed.TotalSeconds:F1} s into the test; {gateway.Starts} starts in all");
    }

    /// <summary>What one customer must show after the drill; every departure from it, in words.</summary>
    private static IEnumerable<string> Check(string triggerMessageId, JsonElement[] timeline, JsonElement[] inbox)
    {
        var items = timeline.Reverse().ToList(); // oldest first
        var of = (string kind) => items.Where(i => i.GetProperty("kind").GetString() == kind).ToList();

        var triggers = of("event").Where(e => e.GetProperty("name").GetString() == Trigger).ToList();
        if (triggers.Count != 1 || triggers[0].GetProperty("messageId").GetString() != triggerMessageId)
        {
            yield return $"expected its trigger event {triggerMessageId} once, found {triggers.Count}";
        }

        var entered = of("entered");
        if (entered.Count != 1 || entered[0].GetProperty("journey").GetString() != JourneyId)
        {
            yield return $"expected one entry into {JourneyId}, found {entered.Count}";
        }

        var moves = of("moved").Select(m => (From: m.GetProperty("from").GetString()!, To: m.GetProperty("to").GetString()!)).ToList();
        if (!moves.SequenceEqual(Path))
        {
            yield return $"expected the moves {string.Join(" ", Path.Select(m => $"{m.From}→{m.To}"))}, found {string.Join(" ", moves.Select(m => $"{m.From}→{m.To}"))}";
        }

        var exited = of("exited");
        if (exited.Count != 1 || exited[0].GetProperty("reason").GetString() != "exit_node" || exited[0].GetProperty("node").GetString() != "done")
        {
            yield return $"expected one exit at done with reason exit_node, found {exited.Count}";
        }

        var messages = of("message");
        var recorded = messages.Select(m => (Node: m.GetProperty("node").GetString(), Id: m.GetProperty("messageId").GetString(), Status: m.GetProperty("status").GetString())).ToList();
        if (recorded.Count != 2 || recorded.Select(m => m.Node).Order(StringComparer.Ordinal).SequenceEqual(["first", "second"]) is false
            || recorded.Any(m => m.Status != "sent") || recorded.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count() != 2)
        {
            yield return $"expected one sent message for first and one for second with different ids, found {string.Join(", ", recorded)}";
        }

        var delivered = inbox.Select(m => (Id: m.GetProperty("id").GetString(), Title: m.GetProperty("title").GetString())).ToList();
        if (delivered.Count != 2 || delivered.Select(m => m.Title).Order(StringComparer.Ordinal).SequenceEqual(["first", "second"]) is false
            || delivered.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count() != 2)
        {
            yield return $"expected the inbox to hold first and second once each, found {string.Join(", ", delivered)}";
        }

        var recordedIds = recorded.Select(m => m.Id).Order(StringComparer.Ordinal);
        var deliveredIds = delivered.Select(m => m.Id).Order(StringComparer.Ordinal);
        if (!recordedIds.SequenceEqual(deliveredIds, StringComparer.Ordinal))
        {
            yield return $"the inbox's message ids ({string.Join(", ", deliveredIds)}) are not the timeline's ({string.Join(", ", recordedIds)})";
        }
    }

    /// <summary>Reads every customer's timeline until each shows its run ended and both answers recorded (the second send's answer comes after the exit).</summary>
    private async Task<Dictionary<string, JsonElement[]>> AllRunsEnded(HttpClient reader, string[] customers)
    {
        var timelines = new ConcurrentDictionary<string, JsonElement[]>(StringComparer.Ordinal);
        var pending = customers.ToList();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, _) =>
                timelines[customer] = await Timeline(reader, customer));
            pending = [.. pending.Where(c => !Ended(timelines[c]))];
            if (pending.Count == 0)
            {
                return new(timelines, StringComparer.Ordinal);
            }

            Assert.True(deadline.Elapsed < Patience,
                $"{pending.Count} customers' runs had not ended after {Patience}, such as {pending[0]}: {Describe(timelines[pending[0]])}\n{Diagnostics()}");
            await Task.Delay(500);
        }

        static bool Ended(JsonElement[] timeline) =>
            timeline.Any(i => i.GetProperty("kind").GetString() == "exited")
            && timeline.Count(i => i.GetProperty("kind").GetString() == "message") >= 2;
    }

    /// <summary>Reads the journey's counts until they settle (flushed about once a second): the last node counted every exit and nobody is anywhere.</summary>
    private static async Task<JsonElement> CountsSettled(HttpClient reader)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var stats = await reader.GetFromJsonAsync<JsonElement>($"/api/journeys/{JourneyId}/stats");
            var nodes = stats.GetProperty("nodes").EnumerateObject().ToList();
            var settled = nodes.Count > 0 && nodes.All(n => n.Value.GetProperty("current").GetInt64() == 0)
                && stats.GetProperty("nodes").TryGetProperty("done", out var done)
                && done.GetProperty("exited").TryGetProperty("exit_node", out var exits) && exits.GetInt64() >= Customers;
            if (settled || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return stats;
            }

            await Task.Delay(500);
        }
    }

    private async Task PublishAsync(HttpClient admin)
    {
        using var designer = Api(await NewKey(admin, "designer"));
        using var approver = Api(await NewKey(admin, "approver"));
        await Expect(await designer.PutAsJsonAsync($"/api/journeys/{JourneyId}", Canvas()));
        await Expect(await designer.PostAsync($"/api/journeys/{JourneyId}/submit", null));
        await Expect(await approver.PostAsJsonAsync($"/api/journeys/{JourneyId}/approve", new { comment = "drill" }));
        await Expect(await designer.PostAsync($"/api/journeys/{JourneyId}/publish", null));
    }

    private async Task<string> NewKey(HttpClient admin, string role)
    {
        var created = await Expect(await admin.PostAsJsonAsync("/api/keys", new { role, name = $"crash-{role}" }), HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    private async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}\n{Diagnostics()}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A customer's timeline, newest first; empty for a customer the gateway does not know (whose trigger was lost).</summary>
    private async Task<JsonElement[]> Timeline(HttpClient reader, string customer)
    {
        using var response = await reader.GetAsync($"/api/customers/{customer}/timeline?limit=500");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var page = await Expect(response);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private async Task<JsonElement[]> Inbox(HttpClient reader, string secret, string customer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/inbox/{customer}");
        request.Headers.Add("Waymark-User-Token", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(customer))));
        var inbox = await Expect(await reader.SendAsync(request));
        return [.. inbox.GetProperty("messages").EnumerateArray()];
    }

    private HttpClient Api(string key)
    {
        var client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Requests of one to four customers each: one is a <c>/v1/track</c>, more a <c>/v1/batch</c>.</summary>
    private static List<string[]> Chunks(string[] customers, Random random)
    {
        var chunks = new List<string[]>();
        for (var i = 0; i < customers.Length;)
        {
            var size = Math.Min(random.Next(1, 5), customers.Length - i);
            chunks.Add(customers[i..(i + size)]);
            i += size;
        }

        return chunks;
    }

    private static (string Path, string Body) Body(string[] customers, Dictionary<string, string> messageIds)
    {
        var messages = customers.Select(c => new JsonObject
        {
            ["type"] = "track", ["userId"] = c, ["event"] = Trigger, ["messageId"] = messageIds[c], ["properties"] = new JsonObject { ["drill"] = true },
        }).ToList();
        if (messages.Count == 1)
        {
            messages[0].Remove("type");
            return ("/v1/track", messages[0].ToJsonString());
        }

        return ("/v1/batch", new JsonObject { ["batch"] = new JsonArray([.. messages]) }.ToJsonString());
    }

    /// <summary>A node's counts as compact JSON with its exits in name order, to compare with <see cref="Counts"/>.</summary>
    private static string Normalized(JsonElement count) => Counts(
        count.GetProperty("entered").GetInt64(),
        count.GetProperty("movedOn").GetInt64(),
        count.GetProperty("current").GetInt64(),
        count.GetProperty("exited").EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => (e.Name, e.Value.GetInt64())));

    private static string Counts(long entered, long movedOn, long exitNode) => Counts(entered, movedOn, 0, [("exit_node", exitNode)]);

    private static string Counts(long entered, long movedOn, long current = 0, IEnumerable<(string Reason, long Count)>? exited = null) => new JsonObject
    {
        ["entered"] = entered,
        ["current"] = current,
        ["movedOn"] = movedOn,
        ["exited"] = new JsonObject((exited ?? []).Select(e => KeyValuePair.Create(e.Reason, (JsonNode?)e.Count))),
    }.ToJsonString();

    /// <summary>
    /// What was under way when the process was killed, as the timelines tell it afterwards (the gateway's clock is this
    /// machine's): calls sent and not yet answered, runs that had entered and not yet ended, and sends decided (the move
    /// out of the send node is in the round that decided it) but not yet answered by their channel.
    /// </summary>
    private static string Interrupted(DateTimeOffset kill, IEnumerable<JsonElement[]> timelines, IEnumerable<(DateTimeOffset Sent, DateTimeOffset Acknowledged)> calls)
    {
        var (waiting, sending) = (0, 0);
        foreach (var timeline in timelines)
        {
            DateTimeOffset? At(string kind, Func<JsonElement, bool>? which = null) =>
                timeline.FirstOrDefault(i => i.GetProperty("kind").GetString() == kind && (which?.Invoke(i) ?? true)) is { ValueKind: JsonValueKind.Object } item
                    ? item.GetProperty("at").GetDateTimeOffset()
                    : null;

            if (At("entered") < kill && At("exited") > kill)
            {
                waiting++;
            }

            foreach (var node in new[] { "first", "second" })
            {
                if (At("moved", i => i.GetProperty("from").GetString() == node) < kill
                    && At("message", i => i.GetProperty("node").GetString() == node) > kill)
                {
                    sending++;
                }
            }
        }

        return $"{calls.Count(c => c.Sent < kill && c.Acknowledged > kill)} calls in flight, {waiting} runs under way, {sending} sends decided and not yet answered";
    }

    private static string Describe(JsonElement[] timeline) => timeline.Length == 0 ? "(unknown customer)" : string.Join(" | ", timeline.Reverse().Select(i => i.GetProperty("kind").GetString() switch
    {
        "event" => $"event {i.GetProperty("name").GetString()} {i.GetProperty("messageId").GetString()} at {i.GetProperty("at")}",
        "entered" => $"entered {i.GetProperty("entryId").GetString()} at {i.GetProperty("at")}",
        "moved" => $"moved {i.GetProperty("from").GetString()}→{i.GetProperty("to").GetString()} at {i.GetProperty("at")}",
        "message" => $"message {i.GetProperty("node").GetString()} {i.GetProperty("messageId").GetString()} {i.GetProperty("status").GetString()} at {i.GetProperty("at")}",
        "exited" => $"exited {i.GetProperty("node").GetString()} {i.GetProperty("reason").GetString()} at {i.GetProperty("at")}",
        var other => other,
    }));

    /// <summary>The process's starts and kills, its warnings and errors, and its last lines.</summary>
    private string Diagnostics()
    {
        var warnings = gateway.Output().Where(l => l.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal)
            || l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)).ToList();
        return $"--- gateway warnings and errors ({warnings.Count}, last 20) ---\n{string.Join('\n', warnings.TakeLast(20).Select(Shortened))}\n--- gateway ---\n{gateway.Tail(40)}";

        static string Shortened(string line) => line.Length <= 600 ? line : line[..600] + "…";
    }

    private void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
}
