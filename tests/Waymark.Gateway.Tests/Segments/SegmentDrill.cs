using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Waymark.Testing;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// What the segment crash drills share, after <c>Runtime/CrashTests</c>: a fresh PostgreSQL database, the gateway (hosting
/// its silo) as a child process that can be killed hard (SIGKILL) and started again on that database at the same
/// addresses, API clients by role, bulk ingestion through <c>/v1/batch</c> with an SDK's retries, and the diagnostics a
/// failure prints (the process's starts and kills, its warnings and errors, its last lines).
/// </summary>
internal sealed class SegmentDrill : IAsyncDisposable
{
    /// <summary>The drills' xUnit collection: each takes both cores for minutes, so they run one after the other.</summary>
    public const string Collection = "Segment crash drills";

    public const string Workspace = "default";

    private const string WriteKey = "segment-drill-write-key-01";
    private const string AdminKey = "segment-drill-admin-key-01";

    private readonly ITestOutputHelper output;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private SegmentDrill(ITestOutputHelper output, PostgresDatabase database, GatewayProcess gateway)
    {
        this.output = output;
        Database = database;
        Gateway = gateway;
        Admin = Api(AdminKey);
    }

    public PostgresDatabase Database { get; }

    public GatewayProcess Gateway { get; }

    public HttpClient Admin { get; }

    /// <summary>Time since the drill was made, for the timings it reports.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <param name="settings">Configuration beyond the drill's own (storage, keys), such as the pace of bulk work.</param>
    public static async Task<SegmentDrill> CreateAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await PostgresDatabase.CreateAsync();
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Waymark:Storage:Provider"] = "postgres",
            // Each start keeps its own pool; a killed one's connections end with it.
            ["ConnectionStrings:Waymark"] = database.ConnectionString + ";Maximum Pool Size=20",
            ["Waymark:Bootstrap:WriteKey"] = WriteKey,
            ["Waymark:Bootstrap:AdminKey"] = AdminKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new SegmentDrill(output, database, new GatewayProcess(typeof(Program).Assembly.Location, all));
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Gateway.DisposeAsync();
        await Database.DisposeAsync();
    }

    public async Task StartAsync(string what)
    {
        var took = await Gateway.StartAsync(TimeSpan.FromSeconds(120));
        Log($"{what}: ready after {took.TotalSeconds:F1} s");
    }

    public HttpClient Api(string key)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = Gateway.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public RetryingWriter Writer() => new(Gateway.BaseAddress, WriteKey);

    /// <summary>
    /// One <c>identify</c> per customer with its traits, in batches of <paramref name="batchSize"/>, <paramref name="parallel"/>
    /// requests in flight, each retried until acknowledged (the message ids make a retry harmless).
    /// </summary>
    public async Task IdentifyAsync(IReadOnlyList<(string UserId, JsonObject Traits)> customers, int batchSize = 500, int parallel = 4)
    {
        var started = clock.Elapsed;
        using var writer = Writer();
        var batches = customers.Chunk(batchSize).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (batch, _) =>
        {
            var body = new JsonObject
            {
                ["batch"] = new JsonArray([.. batch.Select(c => (JsonNode)new JsonObject
                {
                    ["type"] = "identify",
                    ["userId"] = c.UserId,
                    ["messageId"] = $"identify-{c.UserId}",
                    ["traits"] = c.Traits.DeepClone(),
                })]),
            };
            await writer.SendAsync("/v1/batch", body.ToJsonString());
        });
        var took = clock.Elapsed - started;
        Log($"identified {customers.Count:N0} customers in {batches.Count} requests of up to {batchSize} in {took.TotalSeconds:F1} s "
            + $"({customers.Count / took.TotalSeconds:N0}/s; {writer.Retried} attempts retried)");
    }

    /// <summary>A draft saved, submitted, approved and published by a designer and an approver (keys of their own).</summary>
    public async Task PublishAsync(string journeyId, JsonNode canvas)
    {
        using var designer = Api(await NewKey("designer"));
        using var approver = Api(await NewKey("approver"));
        await Expect(await designer.PutAsJsonAsync($"/api/journeys/{journeyId}", canvas));
        await Expect(await designer.PostAsync($"/api/journeys/{journeyId}/submit", null));
        await Expect(await approver.PostAsJsonAsync($"/api/journeys/{journeyId}/approve", new { comment = "drill" }));
        await Expect(await designer.PostAsync($"/api/journeys/{journeyId}/publish", null));
    }

    public async Task<string> NewKey(string role)
    {
        var created = await Expect(await Admin.PostAsJsonAsync("/api/keys", new { role, name = $"drill-{role}-{Guid.NewGuid():N}" }), HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    public async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}\n{Diagnostics()}");
            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    public async Task<JsonElement> Get(string path) => await Expect(await Admin.GetAsync(path));

    /// <summary>
    /// The member rows of a segment, counted in the database itself: a way to watch a backfill that does not touch the
    /// segment's API (whose status read activates the backfill grain, and so would resume it before its reminder does).
    /// </summary>
    public async Task<long> MemberRowsAsync(string segment)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM waymark_segment_members WHERE workspace = @w AND segment = @s", connection);
        command.Parameters.AddWithValue("w", Workspace);
        command.Parameters.AddWithValue("s", segment);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every member of a segment through <c>GET /api/segments/{id}/members</c>, page by page, in the order listed.</summary>
    public async Task<List<string>> AllMembersAsync(string segment, int limit = 1000)
    {
        var members = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Get($"/api/segments/{segment}/members?limit={limit}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}");
            members.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetString()!));
            cursor = page.GetProperty("next").GetString();
            Assert.True(++pages <= 10_000, $"paging {segment} did not end after {pages} pages");
        }
        while (cursor is not null);

        return members;
    }

    /// <summary>The process's starts and kills, its warnings and errors, and its last lines.</summary>
    public string Diagnostics()
    {
        var warnings = Gateway.Output().Where(l => l.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal)
            || l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)).ToList();
        return $"--- gateway warnings and errors ({warnings.Count}, last 20) ---\n{string.Join('\n', warnings.TakeLast(20).Select(Shortened))}\n--- gateway ---\n{Gateway.Tail(40)}";

        static string Shortened(string line) => line.Length <= 600 ? line : line[..600] + "…";
    }

    public void Log(string line) => output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{clock.Elapsed.TotalSeconds,6:F1} s] {line}");
}
