using System.Net;
using System.Text.Json;
using Npgsql;
using Waymark.Testing;

namespace Waymark.Drills.Crash;

/// <summary>A timeline item (api.md §2) with the fields the checks read; absent fields are null.</summary>
public sealed record TimelineItem(
    DateTimeOffset At, string Kind, string? Name, string? MessageId, string? Journey, string? EntryId, string? Node,
    string? From, string? To, string? Reason, string? Status)
{
    public static TimelineItem Read(JsonElement item) => new(
        item.GetProperty("at").GetDateTimeOffset(),
        item.GetProperty("kind").GetString()!,
        Text(item, "name"), Text(item, "messageId"), Text(item, "journey"), Text(item, "entryId"), Text(item, "node"),
        Text(item, "from"), Text(item, "to"), Text(item, "reason"), Text(item, "status"));

    public override string ToString() => Kind switch
    {
        "event" => $"event {Name} {MessageId} at {At:HH:mm:ss.ffffff}",
        "entered" => $"entered {Node} at {At:HH:mm:ss.ffffff}",
        "moved" => $"moved {From}→{To} ({Reason}) at {At:HH:mm:ss.ffffff}",
        "message" => $"message {Node} {MessageId} {Status} at {At:HH:mm:ss.ffffff}",
        "exited" => $"exited {Node} ({Reason}) at {At:HH:mm:ss.ffffff}",
        _ => $"{Kind} at {At:HH:mm:ss.ffffff}",
    };

    private static string? Text(JsonElement item, string field) =>
        item.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A run as <c>GET /api/customers/{id}</c> lists it in <c>activeJourneys</c>.</summary>
public sealed record ActiveRun(string Journey, string EntryId, string Node, DateTimeOffset Since);

/// <summary>What the API says of one customer after the drill: its history (oldest first) and where it stands.</summary>
public sealed record CustomerState(string Customer, IReadOnlyList<TimelineItem> Timeline, IReadOnlyList<ActiveRun> Runs)
{
    public IEnumerable<TimelineItem> Of(string kind) => Timeline.Where(i => i.Kind == kind);

    /// <summary>The channels' answers (not a sending rule's suppressions).</summary>
    public IEnumerable<TimelineItem> Answers => Of("message").Where(m => m.Status is "sent" or "failed");

    /// <summary>Whether the run has reached its place for good: exited, or waiting the day out, with both its sends answered.</summary>
    public bool Settled =>
        Answers.Count() == 2
        && (Of("exited").Any() || Of("moved").Any(m => m.To == DrillJourney.Later));

    public string Describe() => Timeline.Count == 0 ? "(no history)" : string.Join(" | ", Timeline);

    /// <summary>The customer's whole timeline, oldest first, page by page; empty for a customer the gateway does not know.</summary>
    public static async Task<CustomerState> ReadAsync(ManagementApi api, string customer)
    {
        var items = new List<TimelineItem>();
        string? cursor = null;
        do
        {
            var page = await api.GetAsync($"/api/customers/{customer}/timeline?limit=500{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", absent: HttpStatusCode.NotFound);
            if (page.ValueKind == JsonValueKind.Undefined)
            {
                return new CustomerState(customer, [], []);
            }

            items.AddRange(page.GetProperty("items").EnumerateArray().Select(TimelineItem.Read));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        var profile = await api.GetAsync($"/api/customers/{customer}");
        var runs = profile.GetProperty("activeJourneys").EnumerateArray()
            .Select(r => new ActiveRun(r.GetProperty("journey").GetString()!, r.GetProperty("entryId").GetString()!, r.GetProperty("node").GetString()!, r.GetProperty("since").GetDateTimeOffset()))
            .ToList();
        items.Reverse();
        return new CustomerState(customer, items, runs);
    }
}

/// <summary>A pending wake-up of the timer wheel, read from <c>waymark_timers</c>.</summary>
public sealed record PendingWakeUp(string Target, string Tag, DateTimeOffset Due)
{
    /// <summary>Every pending wake-up of the timer wheel, read (read-only) from the database: the API has no view of them.</summary>
    public static async Task<List<PendingWakeUp>> ReadAllAsync(string connectionString)
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
}
