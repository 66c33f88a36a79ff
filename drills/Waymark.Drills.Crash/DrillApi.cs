using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Waymark.Drills.Crash;

/// <summary>
/// What the drill asks of the gateway over its management API (an admin key): setting up the journey and the webhook
/// channel, and afterwards each customer's history and position and the journey's counts. Where the API cannot say,
/// the database is read (read-only): the timer wheel's pending wake-ups.
/// </summary>
public sealed class DrillApi(Uri baseAddress, string adminKey, string connectionString) : IDisposable
{
    private readonly HttpClient admin = Client(baseAddress, adminKey);

    public void Dispose() => admin.Dispose();

    public async Task ConfigureWebhookAsync(Uri url, string secret) =>
        await ExpectAsync(await admin.PutAsJsonAsync("/api/channels/webhook", new { url, secret }));

    /// <summary>The drill's journey drafted, submitted, approved and published by a designer and an approver (keys of their own).</summary>
    public async Task PublishAsync(JsonNode canvas)
    {
        using var designer = Client(baseAddress, await NewKeyAsync("designer"));
        using var approver = Client(baseAddress, await NewKeyAsync("approver"));
        await ExpectAsync(await designer.PutAsJsonAsync($"/api/journeys/{DrillJourney.Id}", canvas));
        await ExpectAsync(await designer.PostAsync($"/api/journeys/{DrillJourney.Id}/submit", null));
        await ExpectAsync(await approver.PostAsJsonAsync($"/api/journeys/{DrillJourney.Id}/approve", new { comment = "crash drill" }));
        await ExpectAsync(await designer.PostAsync($"/api/journeys/{DrillJourney.Id}/publish", null));
    }

    /// <summary>The customer's whole timeline, oldest first, page by page; empty for a customer the gateway does not know.</summary>
    public async Task<CustomerState> CustomerAsync(string customer)
    {
        var items = new List<TimelineItem>();
        string? cursor = null;
        do
        {
            using var response = await admin.GetAsync($"/api/customers/{customer}/timeline?limit=500{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return new CustomerState(customer, [], []);
            }

            var page = await ExpectAsync(response);
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(TimelineItem.Read));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        var profile = await ExpectAsync(await admin.GetAsync($"/api/customers/{customer}"));
        var runs = profile.GetProperty("activeJourneys").EnumerateArray()
            .Select(r => new ActiveRun(r.GetProperty("journey").GetString()!, r.GetProperty("entryId").GetString()!, r.GetProperty("node").GetString()!, r.GetProperty("since").GetDateTimeOffset()))
            .ToList();
        items.Reverse();
        return new CustomerState(customer, items, runs);
    }

    public async Task<JsonElement> StatsAsync() => await ExpectAsync(await admin.GetAsync($"/api/journeys/{DrillJourney.Id}/stats"));

    /// <summary>Every pending wake-up of the timer wheel (the API has no view of them).</summary>
    public async Task<List<PendingWakeUp>> PendingWakeUpsAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT target, tag, due FROM waymark_timers", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<PendingWakeUp>();
        while (await reader.ReadAsync())
        {
            rows.Add(new PendingWakeUp(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return rows;
    }

    private async Task<string> NewKeyAsync(string role)
    {
        var created = await ExpectAsync(await admin.PostAsJsonAsync("/api/keys", new { role, name = $"crash-drill-{role}" }), HttpStatusCode.Created);
        return created.GetProperty("key").GetString()!;
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != status)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
            }

            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    private static HttpClient Client(Uri baseAddress, string key)
    {
        // Short-lived pooled connections: after a kill, the pool's sockets to the dead process fail once and are replaced.
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
