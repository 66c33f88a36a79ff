using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Testing;

/// <summary>
/// The management API as a drill or a benchmark calls it over HTTP, with an admin key: setting up the webhook channel,
/// saving segments and publishing journeys (with a designer's key and an approver's, as nobody approves their own
/// submission; both issued on first use), and reading back. Each call expects one status; a caller whose gateway may
/// still be recovering retries it.
/// </summary>
public sealed class ManagementApi : IDisposable
{
    private readonly Uri baseAddress;
    private readonly string caller;
    private readonly TimeSpan timeout;
    private readonly TimeSpan connectTimeout;
    private readonly TimeSpan? retryFor;
    private readonly HttpClient admin;
    private HttpClient? designer;
    private HttpClient? approver;

    /// <param name="caller">Names the caller's keys (<c>crash-drill-designer</c>) and its approvals' comment.</param>
    /// <param name="timeout">How long one request may take.</param>
    /// <param name="connectTimeout">How long opening a connection may take; no limit by default.</param>
    /// <param name="retryFor">
    /// How long a call is retried while the gateway answers 5xx or cannot be reached, as right after a silo's death a
    /// call can still be routed to it; by default it is not, and the first answer or failure is the call's.
    /// </param>
    public ManagementApi(Uri baseAddress, string adminKey, string caller, TimeSpan timeout, TimeSpan? connectTimeout = null, TimeSpan? retryFor = null)
    {
        this.baseAddress = baseAddress;
        this.caller = caller;
        this.timeout = timeout;
        this.connectTimeout = connectTimeout ?? Timeout.InfiniteTimeSpan;
        this.retryFor = retryFor;
        admin = Client(adminKey);
    }

    public void Dispose()
    {
        admin.Dispose();
        designer?.Dispose();
        approver?.Dispose();
    }

    public Task ConfigureWebhookAsync(Uri url, string secret) =>
        SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Put, "/api/channels/webhook") { Content = JsonContent.Create(new { url, secret }) });

    /// <summary>Saves, submits, approves and publishes <paramref name="canvas"/> as journey <paramref name="id"/>.</summary>
    public async Task PublishAsync(string id, JsonNode canvas)
    {
        var designer = await DesignerAsync();
        approver ??= Client(await NewKeyAsync("approver"));
        await SendAsync(designer, () => new HttpRequestMessage(HttpMethod.Put, $"/api/journeys/{id}") { Content = JsonContent.Create(canvas) });
        await SendAsync(designer, () => new HttpRequestMessage(HttpMethod.Post, $"/api/journeys/{id}/submit"));
        await SendAsync(approver, () => new HttpRequestMessage(HttpMethod.Post, $"/api/journeys/{id}/approve") { Content = JsonContent.Create(new { comment = caller }) });
        await SendAsync(designer, () => new HttpRequestMessage(HttpMethod.Post, $"/api/journeys/{id}/publish"));
    }

    /// <summary>Saves <paramref name="body"/> at <paramref name="path"/> with a designer's key (a segment, a template).</summary>
    public async Task<JsonElement> PutAsync(string path, object body) =>
        await SendAsync(await DesignerAsync(), () => new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) });

    public Task<JsonElement> StatsAsync(string journey) => GetAsync($"/api/journeys/{journey}/stats");

    /// <summary>Reads <paramref name="path"/>: its body, or none (<see cref="JsonValueKind.Undefined"/>) when it is answered <paramref name="absent"/>.</summary>
    public Task<JsonElement> GetAsync(string path, HttpStatusCode? absent = null) =>
        SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Get, path), absent: absent);

    private async Task<HttpClient> DesignerAsync() => designer ??= Client(await NewKeyAsync("designer"));

    private async Task<string> NewKeyAsync(string role)
    {
        var created = await SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { role, name = $"{caller.Replace(' ', '-')}-{role}" }) }, HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// Sends the request <paramref name="make"/> makes until it is answered <paramref name="status"/> (its body, if any)
    /// or <paramref name="absent"/> (none), retrying within <see cref="retryFor"/>; any other answer throws.
    /// </summary>
    private async Task<JsonElement> SendAsync(HttpClient client, Func<HttpRequestMessage> make, HttpStatusCode status = HttpStatusCode.OK, HttpStatusCode? absent = null)
    {
        var started = DateTimeOffset.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var request = make();
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == status)
                {
                    return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
                }

                if (response.StatusCode == absent)
                {
                    return default;
                }

                failure = $"{request.Method} {request.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}";
                if (retryFor is null || (int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException(failure);
                }
            }
            catch (Exception e) when (retryFor is not null && e is HttpRequestException or TaskCanceledException)
            {
                failure = e.Message;
            }

            if (DateTimeOffset.UtcNow - started > retryFor)
            {
                throw new TimeoutException($"The gateway did not answer within {retryFor} ({attempt} attempts, last: {failure}).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)));
        }
    }

    private HttpClient Client(string key)
    {
        // Short-lived pooled connections: one to a process that died or dropped it fails once and is replaced, not reused.
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = connectTimeout })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
