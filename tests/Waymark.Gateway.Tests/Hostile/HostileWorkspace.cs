using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;

namespace Waymark.Gateway.Tests.Hostile;

/// <summary>
/// The default workspace with something behind every endpoint: a key of each role, two customers, an active journey
/// with an api trigger, a ready segment, a template and a webhook channel. Hostile requests name these, so that what
/// a valid request would do (enrol, pause, merge, save) is there to be done: a hostile one that got through would
/// change state the snapshot sees.
/// </summary>
internal sealed class HostileWorkspace
{
    public const string Customer = "hostile-c1";
    public const string OtherCustomer = "hostile-c2";
    public const string Journey = "hostile-j";
    public const string Segment = "hostile-s";
    public const string Template = "hostile-t";

    /// <summary>An api-triggered journey, so that enrolment reaches the customers it names.</summary>
    public const string Canvas = """
        {"name": "Hostile", "trigger": {"type": "api"}, "start": "pause",
         "nodes": [{"id": "pause", "type": "wait", "duration": "P1D", "next": "done"}, {"id": "done", "type": "exit"}]}
        """;

    private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);

    private HostileWorkspace(HttpClient http) => Http = http;

    /// <summary>A client of the gateway's socket with no credentials of its own.</summary>
    public HttpClient Http { get; }

    /// <summary>The user token that opens <see cref="Customer"/>'s in-app inbox.</summary>
    public string InboxToken { get; private set; } = "";

    public static async Task<HostileWorkspace> CreateAsync(HttpClient http, string writeKey, string adminKey)
    {
        var workspace = new HostileWorkspace(http);
        workspace.keys["write"] = writeKey;
        workspace.keys["admin"] = adminKey;
        foreach (var role in new[] { "viewer", "designer", "approver" })
        {
            var issued = await workspace.ExpectAsync("admin", HttpMethod.Post, "/api/keys", new { role, name = $"hostile {role}" }, HttpStatusCode.Created);
            workspace.keys[role] = issued.GetProperty("key").GetString()!;
        }

        foreach (var customer in new[] { Customer, OtherCustomer })
        {
            await workspace.ExpectAsync("write", HttpMethod.Post, "/v1/identify", new { userId = customer, traits = new { email = $"{customer}@hostile.test" } }, HttpStatusCode.OK);
        }

        await workspace.ExpectAsync("designer", HttpMethod.Put, $"/api/segments/{Segment}", new { name = "Hostile", where = new { tag = "vip" } }, HttpStatusCode.OK);
        await workspace.ExpectAsync("designer", HttpMethod.Put, $"/api/templates/{Template}", new { channel = "sms", text = "Hi {{ customer.id }}" }, HttpStatusCode.OK);
        await workspace.ExpectAsync("admin", HttpMethod.Put, "/api/channels/webhook", new { url = "http://127.0.0.1:9/hook", secret = "hostile-secret-0123456789" }, HttpStatusCode.OK);
        await workspace.ExpectAsync("designer", HttpMethod.Put, $"/api/journeys/{Journey}", JsonDocument.Parse(Canvas).RootElement, HttpStatusCode.OK);
        await workspace.ExpectAsync("designer", HttpMethod.Post, $"/api/journeys/{Journey}/submit", null, HttpStatusCode.OK);
        await workspace.ExpectAsync("approver", HttpMethod.Post, $"/api/journeys/{Journey}/approve", new { comment = "ok" }, HttpStatusCode.OK);
        await workspace.ExpectAsync("designer", HttpMethod.Post, $"/api/journeys/{Journey}/publish", null, HttpStatusCode.OK);

        // The backfill of the new segment writes until it is done; the snapshot must not see it.
        await Poll.Until(
            () => workspace.ExpectAsync("viewer", HttpMethod.Get, $"/api/segments/{Segment}", null, HttpStatusCode.OK),
            segment => segment.GetProperty("status").GetString() == "ready");

        var settings = await workspace.ExpectAsync("admin", HttpMethod.Get, "/api/workspace/settings", null, HttpStatusCode.OK);
        workspace.InboxToken = Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(settings.GetProperty("inboxSecret").GetString()!), Encoding.UTF8.GetBytes(Customer)));
        return workspace;
    }

    /// <summary>How a key of the role is presented: write keys as Segment sends them (HTTP Basic user name), API keys as bearer tokens.</summary>
    public AuthenticationHeaderValue Credentials(string role) => role == "write"
        ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(keys[role] + ":")))
        : new AuthenticationHeaderValue("Bearer", keys[role]);

    public async Task<JsonElement> ExpectAsync(string role, HttpMethod method, string path, object? body, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = Credentials(role);
        using var response = await Http.SendAsync(request);
        return await DesignTeam.ExpectAsync(response, status);
    }
}
