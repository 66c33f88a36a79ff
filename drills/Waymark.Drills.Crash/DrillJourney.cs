using System.Text.Json.Nodes;

namespace Waymark.Drills.Crash;

/// <summary>
/// The journey the drill runs, and what its rules say a customer's path must be given the customer's events and the
/// clock. Short durations so the drill moves: every run waits 2 s, is sent <c>hello</c>, then waits up to 6 s for a
/// confirmation; confirmed, it is sent <c>thanks</c> and waits a day (so after the drill it is still there, and its
/// node counts "still here"); not confirmed in time, it is sent <c>nudge</c> and exits.
/// </summary>
public static class DrillJourney
{
    public const string Id = "crash-drill";
    public const string Trigger = "drill_started";
    public const string Confirmation = "drill_confirmed";

    /// <summary>What <c>/v1/page</c> records (api.md §1): events no journey reacts to.</summary>
    public const string PageViewed = "page_viewed";

    public const string Pause = "pause";
    public const string Hello = "hello";
    public const string Confirm = "confirm";
    public const string Thanks = "thanks";
    public const string Later = "later";
    public const string Nudge = "nudge";
    public const string Done = "done";

    public static readonly TimeSpan PauseFor = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan LaterFor = TimeSpan.FromDays(1);

    public static readonly IReadOnlyList<string> SendNodes = [Hello, Thanks, Nudge];

    public static JsonNode Canvas() => JsonNode.Parse($$"""
        {
          "name": "Crash drill",
          "description": "Waits, a waitEvent with a timeout and webhook sends, for the crash drill.",
          "trigger": { "type": "event", "event": "{{Trigger}}" },
          "start": "{{Pause}}",
          "nodes": [
            { "id": "{{Pause}}", "type": "wait", "duration": "PT2S", "next": "{{Hello}}" },
            { "id": "{{Hello}}", "type": "send", "channel": "webhook", "category": "transactional", "template": { "payload": {{Payload(Hello)}} }, "next": "{{Confirm}}" },
            { "id": "{{Confirm}}", "type": "waitEvent", "event": "{{Confirmation}}", "timeout": "PT6S", "next": "{{Thanks}}", "timeoutNext": "{{Nudge}}" },
            { "id": "{{Thanks}}", "type": "send", "channel": "webhook", "category": "transactional", "template": { "payload": {{Payload(Thanks)}} }, "next": "{{Later}}" },
            { "id": "{{Later}}", "type": "wait", "duration": "P1D", "next": "{{Done}}" },
            { "id": "{{Nudge}}", "type": "send", "channel": "webhook", "category": "transactional", "template": { "payload": {{Payload(Nudge)}} }, "next": "{{Done}}" },
            { "id": "{{Done}}", "type": "exit" }
          ]
        }
        """)!;

    /// <summary>What each send posts: who and which node, so the receiver can tell a second id for one send step.</summary>
    private static string Payload(string node) =>
        $$$"""{ "customer": "{{ customer.id }}", "node": "{{{node}}}", "messageId": "{{ message.id }}" }""";

    /// <summary>
    /// The path a run must take, given when it entered, when it reached the waitEvent and the confirmations the customer
    /// sent (times as the history records them: receipt times). A confirmation moves the run on only if it came once
    /// the 2 s wait was due (before that the run is not waiting for it; after, an event makes an overdue wait step
    /// first) and before the waitEvent's timeout, which counts from the run's arrival there.
    /// </summary>
    public static ExpectedPath Expect(DateTimeOffset entered, DateTimeOffset? reachedConfirm, IEnumerable<DateTimeOffset> confirmations)
    {
        var pauseDue = entered + PauseFor;
        if (reachedConfirm is not { } arrived)
        {
            return new ExpectedPath(pauseDue, null, null, null);
        }

        var timeout = arrived + ConfirmWithin;
        var confirmed = confirmations.Where(at => at >= pauseDue && at < timeout).Order().Cast<DateTimeOffset?>().FirstOrDefault();
        return new ExpectedPath(pauseDue, timeout, confirmed, confirmed is null ? Nudge : Thanks);
    }

    /// <summary>Every move of a run that took <paramref name="branch"/> (<see cref="Thanks"/> or <see cref="Nudge"/>), in order, with its reason.</summary>
    public static IReadOnlyList<(string From, string To, string Reason)> Moves(string branch) => branch == Thanks
        ? [(Pause, Hello, "next"), (Hello, Confirm, "next"), (Confirm, Thanks, "event"), (Thanks, Later, "next")]
        : [(Pause, Hello, "next"), (Hello, Confirm, "next"), (Confirm, Nudge, "timeout"), (Nudge, Done, "next")];
}

/// <param name="PauseDue">When the 2 s wait was due.</param>
/// <param name="Timeout">When the waitEvent's timeout was due (null until the run reached it).</param>
/// <param name="Confirmed">The receipt of the confirmation that must have moved the run on, if one must have.</param>
/// <param name="Branch">Where the waitEvent must have sent the run: <see cref="DrillJourney.Thanks"/> or <see cref="DrillJourney.Nudge"/>.</param>
public sealed record ExpectedPath(DateTimeOffset PauseDue, DateTimeOffset? Timeout, DateTimeOffset? Confirmed, string? Branch);
