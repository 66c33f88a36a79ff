using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Bench.Common;

/// <summary>
/// The management REST API as a design team uses it: the admin key reads, a designer key saves (segments, journey
/// drafts) and publishes, an approver key approves. The designer and approver keys are issued on first use.
/// </summary>
public sealed class ManagementApi : IDisposable
{
    private readonly Uri baseAddress;
    private readonly HttpClient admin;
    private HttpClient? designer;
    private HttpClient? approver;

    public ManagementApi(Uri baseAddress)
    {
        this.baseAddress = baseAddress;
        admin = Client(BenchGateway.AdminKey);
    }

    /// <summary>Publishes <paramref name="canvas"/> as journey <paramref name="id"/>: a designer saves and submits it,
    /// an approver approves, the designer publishes.</summary>
    public async Task PublishJourneyAsync(string id, JsonNode canvas)
    {
        designer ??= await KeyAsync("designer");
        approver ??= await KeyAsync("approver");
        await ExpectAsync(await designer.PutAsJsonAsync($"/api/journeys/{id}", canvas));
        await ExpectAsync(await designer.PostAsync(new Uri($"/api/journeys/{id}/submit", UriKind.Relative), null));
        await ExpectAsync(await approver.PostAsJsonAsync($"/api/journeys/{id}/approve", new { comment = "benchmark" }));
        await ExpectAsync(await designer.PostAsync(new Uri($"/api/journeys/{id}/publish", UriKind.Relative), null));
    }

    /// <summary>Saves <paramref name="body"/> at <paramref name="path"/> with a designer's key (a segment, a template).</summary>
    public async Task<JsonElement> PutAsync(string path, object body)
    {
        designer ??= await KeyAsync("designer");
        return await ExpectAsync(await designer.PutAsJsonAsync(path, body));
    }

    /// <summary>Reads <paramref name="path"/> with the admin key; 200 expected.</summary>
    public async Task<JsonElement> GetAsync(string path) => await ExpectAsync(await admin.GetAsync(new Uri(path, UriKind.Relative)));

    /// <summary><c>GET /api/journeys/{id}/stats</c> (the counts lag by about a flush).</summary>
    public Task<JsonElement> StatsAsync(string journey) => GetAsync($"/api/journeys/{journey}/stats");

    public void Dispose()
    {
        admin.Dispose();
        designer?.Dispose();
        approver?.Dispose();
    }

    private async Task<HttpClient> KeyAsync(string role)
    {
        var response = await ExpectAsync(await admin.PostAsJsonAsync("/api/keys", new { role, name = $"bench-{role}" }), HttpStatusCode.Created);
        return Client(response.GetProperty("key").GetString()!);
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == status
                ? (body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone())
                : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }
    }
}
