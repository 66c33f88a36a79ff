using System.Net;
using System.Text.Json;
using Waymark.Testing;

namespace Waymark.Drills.Failover;

/// <summary>
/// What one customer's timeline says of its run of the drill's journey: how often it entered, when its wait was due
/// (its entry plus the wait, as the engine computes it), how late each move out of the wait came, the ids of the
/// messages its send recorded as sent, and whether it exited at the exit node.
/// </summary>
public sealed record CustomerOutcome(string Customer, int Entries, DateTimeOffset? Due, IReadOnlyList<TimeSpan> Lateness, IReadOnlyList<string> SentIds, bool ExitedAtDone)
{
    /// <summary>The outcome the customer's timeline shows (its newest 100 items, more than one run writes); a customer the gateway does not know has none.</summary>
    public static async Task<CustomerOutcome> ReadAsync(ManagementApi api, string customer, TimeSpan wait)
    {
        var page = await api.GetAsync($"/api/customers/{customer}/timeline?limit=100", absent: HttpStatusCode.NotFound);
        return Of(customer, page.ValueKind == JsonValueKind.Object ? [.. page.GetProperty("items").EnumerateArray()] : [], wait);
    }

    /// <summary>The outcome <paramref name="timeline"/> (newest first, as the API lists it) shows for a journey waiting <paramref name="wait"/>.</summary>
    public static CustomerOutcome Of(string customer, IReadOnlyList<JsonElement> timeline, TimeSpan wait)
    {
        var items = timeline.Reverse().ToList();
        List<JsonElement> Of(string kind) => [.. items.Where(i => i.GetProperty("kind").GetString() == kind)];
        static DateTimeOffset At(JsonElement item) => item.GetProperty("at").GetDateTimeOffset();

        var entries = Of("entered").Where(e => e.GetProperty("journey").GetString() == FailoverDrill.JourneyId).ToList();
        DateTimeOffset? due = entries.Count > 0 ? At(entries[0]) + wait : null;
        var moves = Of("moved").Where(m => m.GetProperty("from").GetString() == "wait" && m.GetProperty("to").GetString() == "notify");
        var sent = Of("message").Where(m => m.GetProperty("node").GetString() == "notify" && m.GetProperty("status").GetString() == "sent");
        var exits = Of("exited");
        return new CustomerOutcome(
            customer,
            entries.Count,
            due,
            due is { } d ? [.. moves.Select(m => At(m) - d)] : [],
            [.. sent.Select(m => m.GetProperty("messageId").GetString()!)],
            exits.Count == 1 && exits[0].GetProperty("node").GetString() == "done" && exits[0].GetProperty("reason").GetString() == "exit_node");
    }

    public override string ToString() =>
        $"{Customer}: entered {Entries}×, due {Due:HH:mm:ss.fff}, fired {string.Join("/", Lateness.Select(l => $"{l.TotalSeconds:F1} s"))} after, "
        + $"sent [{string.Join(", ", SentIds)}], {(ExitedAtDone ? "exited at done" : "not exited at done")}";
}
