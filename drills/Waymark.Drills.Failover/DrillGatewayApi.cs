using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Drills.Failover;

/// <summary>
/// The management calls the drill makes through the gateway, as an operator would. Every call is retried while the
/// gateway answers 5xx or cannot be reached: right after the kill a call can still be routed to the dead silo.
/// </summary>
public sealed class DrillGatewayApi : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly Uri baseAddress;
    private readonly HttpClient admin;

    public DrillGatewayApi(Uri baseAddress, string adminKey)
    {
        this.baseAddress = baseAddress;
        admin = Client(adminKey);
    }

    public void Dispose() => admin.Dispose();

    public Task ConfigureWebhookAsync(Uri url, string secret) =>
        SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Put, "/api/channels/webhook") { Content = JsonContent.Create(new { url, secret }) });

    /// <summary>Saves, submits, approves and publishes <paramref name="canvas"/> as journey <paramref name="id"/>, with a
    /// designer's key and an approver's (nobody approves their own submission).</summary>
    public async Task PublishAsync(string id, JsonNode canvas)
    {
        using var designer = Client(await NewKeyAsync("designer"));
        using var approver = Client(await NewKeyAsync("approver"));
        await SendAsync(designer, () => new HttpRequestMessage(HttpMethod.Put, $"/api/journeys/{id}") { Content = JsonContent.Create(canvas) });
        await SendAsync(designer, () => new HttpRequestMessage(HttpMethod.Post, $"/api/journeys/{id}/submit"));
        await SendAsync(approver, () => new HttpRequestMessage(HttpMethod.Post, $"/api/journeys/{id}/approve") { Content = JsonContent.Create(new { comment = "failover drill" }) });
        await SendAsync(designer, () => new HttpRequestMessage(HttpMethod.Post, $"/api/journeys/{id}/publish"));
    }

    /// <summary>A customer's timeline, newest first; empty for a customer the gateway does not know.</summary>
    public async Task<JsonElement[]> TimelineAsync(string customer)
    {
        var page = await SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Get, $"/api/customers/{customer}/timeline?limit=100"), HttpStatusCode.NotFound);
        return page.ValueKind == JsonValueKind.Object ? [.. page.GetProperty("items").EnumerateArray()] : [];
    }

    public Task<JsonElement> StatsAsync(string journey) =>
        SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Get, $"/api/journeys/{journey}/stats"));

    private async Task<string> NewKeyAsync(string role)
    {
        var created = await SendAsync(admin, () => new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = JsonContent.Create(new { role, name = $"failover-{role}" }) });
        return created.GetProperty("key").GetString()!;
    }

    /// <summary>Sends the request <paramref name="make"/> makes until it is answered 2xx (its body, if any) or
    /// <paramref name="absent"/> (default), retrying 5xx and failed connections; any other answer throws.</summary>
    private static async Task<JsonElement> SendAsync(HttpClient client, Func<HttpRequestMessage> make, HttpStatusCode? absent = null)
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
                if (response.IsSuccessStatusCode)
                {
                    return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
                }

                if (response.StatusCode == absent)
                {
                    return default;
                }

                failure = $"{(int)response.StatusCode} {body}";
                if ((int)response.StatusCode < 500)
                {
                    throw new InvalidOperationException($"{request.Method} {request.RequestUri} was refused: {failure}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = e.Message;
            }

            if (DateTimeOffset.UtcNow - started > Patience)
            {
                throw new TimeoutException($"The gateway did not answer within {Patience} ({attempt} attempts, last: {failure}).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 100 * attempt)));
        }
    }

    private HttpClient Client(string key)
    {
        // Short-lived pooled connections, so a connection the gateway dropped is replaced rather than reused.
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
