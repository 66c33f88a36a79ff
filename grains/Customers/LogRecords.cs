using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Journeys;
using Waymark.Model;
using Waymark.Model.Customers;
using Waymark.Storage.CustomerLog;

namespace Waymark.Grains.Customers;

/// <summary>The kinds of entries a customer's log holds, and their payloads (JSON, <see cref="WaymarkJson"/>).</summary>
internal static class LogKinds
{
    /// <summary>Payload: the <c>CustomerEvent</c> as received. The log's window reads select this kind.</summary>
    public const string Event = LogEntry.EventKind;

    /// <summary>Payload: <see cref="ProfileChange"/>, an edit through the profile API.</summary>
    public const string Profile = "profile";

    /// <summary>Payload: <see cref="MergedFromRecord"/>, a profile absorbed into this one.</summary>
    public const string MergedFrom = "merged_from";

    /// <summary>Payload: <see cref="MergedIntoRecord"/>; from here on this key points to the survivor.</summary>
    public const string MergedInto = "merged_into";

    /// <summary>Payload: <see cref="IdentityConflictRecord"/>.</summary>
    public const string IdentityConflict = "identity_conflict";

    /// <summary>Payload: <see cref="RuntimeRecord"/>, the journey state a step left behind (not on the timeline).</summary>
    public const string Runtime = "runtime";

    /// <summary>Payload: the timeline item of a run entering a journey (journey, version, entryId, node).</summary>
    public const string Entered = "entered";

    /// <summary>Payload: the timeline item of a run moving (journey, entryId, from, to, reason).</summary>
    public const string Moved = "moved";

    /// <summary>Payload: <see cref="MessageRecord"/>, what became of a send.</summary>
    public const string Message = LogEntry.MessageKind;

    /// <summary>Payload: the timeline item of a run ending (journey, entryId, node, reason).</summary>
    public const string Exited = "exited";

    /// <summary>Payload: the timeline item of a conversion (journey, entryId, node, branch, variant).</summary>
    public const string Goal = "goal";

    /// <summary>Payload: <see cref="SegmentRecord"/>, the customer entering or leaving a segment.</summary>
    public const string Segment = "segment";

    /// <summary>Payload: <see cref="SegmentsEvaluatedRecord"/>, an evaluation under a newer library that changed no membership (not on the timeline).</summary>
    public const string SegmentsEvaluated = "segments_evaluated";

    /// <summary>Payload: <see cref="RfmRecord"/>, the customer's RFM share and class as an evaluation left them (not on the timeline).</summary>
    public const string Rfm = "rfm";

    /// <summary>
    /// What a customer's timeline shows. A merged-away key's own <see cref="MergedInto"/> is left out: the
    /// survivor's <see cref="MergedFrom"/> tells the same merge.
    /// </summary>
    public static readonly IReadOnlyCollection<string> OnTimeline = [Event, Profile, MergedFrom, IdentityConflict, Entered, Moved, Message, Exited, Goal, Segment];

    /// <summary>Kinds whose payload is the timeline item's own fields.</summary>
    public static readonly IReadOnlySet<string> JourneyItems = new HashSet<string>([Entered, Moved, Message, Exited, Goal, Segment], StringComparer.Ordinal);

    public static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, WaymarkJson.Options);

    public static T Deserialize<T>(string payload) =>
        JsonSerializer.Deserialize<T>(payload, WaymarkJson.Options) ?? throw new JsonException($"Empty {typeof(T).Name} in a customer log.");
}

internal sealed record ProfileChange(
    JsonObject? Traits = null,
    string? Tag = null,
    bool? TagPresent = null,
    Dictionary<string, bool>? Subscriptions = null);

/// <summary>A profile absorbed into this one, with its journeys.</summary>
internal sealed record MergedFromRecord(string From, CustomerProfile Profile, CustomerJourneys Journeys);

internal sealed record MergedIntoRecord(string Into);

internal sealed record IdentityConflictRecord(string Trait, string Value, string Other);

/// <summary>
/// The journey state one round of steps left behind, applied on replay exactly as when it was written: runs
/// changed (null: ended), sends decided, goal watches converted, and the last event acted on.
/// </summary>
public sealed record RuntimeRecord(
    IReadOnlyList<RunChange> Runs,
    IReadOnlyList<PendingSend> Sends,
    IReadOnlyList<string> Converted,
    long HandledSeq);

/// <summary>One run after a step; <paramref name="Run"/> null when it ended, with <paramref name="Watch"/> when its goal window is still open.</summary>
public sealed record RunChange(string JourneyId, string EntryId, JourneyRun? Run, bool Entered, GoalWatch? Watch);

/// <summary>
/// A message decided by a send step, rendered, with its deterministic id and the customer's address then: re-dispatched as
/// it is until its channel answers. <paramref name="Category"/> says whether it counts toward the frequency cap (records
/// written before it was kept read as marketing, which counts).
/// </summary>
public sealed record PendingSend(
    string MessageId,
    string JourneyId,
    int Version,
    string EntryId,
    string Node,
    Channel Channel,
    string? Variant,
    IReadOnlyDictionary<string, string> Fields,
    string? Payload,
    DateTimeOffset DecidedAt,
    string? Address,
    MessageCategory Category = MessageCategory.Marketing);

/// <summary>
/// The timeline item of a send once its channel answered — <paramref name="Status"/> sent or failed, with a reason when
/// failed — and of each later feedback on it (delivered, opened, clicked, unsubscribed, failed with reason <c>bounced</c>).
/// Its log entry is named by the message id, which is how feedback finds it (<see cref="LogEntry.MessageKind"/>).
/// </summary>
internal sealed record MessageRecord(string Journey, int Version, string EntryId, string Node, string MessageId, string Channel, string? Variant, string Status, string? Reason);

/// <summary>
/// The timeline item of a segment membership change: <paramref name="On"/> <c>enter</c> or <c>exit</c> of
/// <paramref name="Segment"/> (of its <paramref name="Incarnation"/>), evaluated at library <paramref name="Generation"/>;
/// <paramref name="Backfill"/> when it was the first evaluation under the segment's rule, which fires no trigger.
/// </summary>
internal sealed record SegmentRecord(string Segment, string On, long Incarnation, long Generation, bool Backfill)
{
    public const string Enter = "enter";
    public const string Exit = "exit";
}

/// <summary>The customer's segments were evaluated at library <paramref name="Generation"/> and none of its memberships changed.</summary>
internal sealed record SegmentsEvaluatedRecord(long Generation);

/// <summary>The customer's share of the workspace RFM sums, added to them in the same append, and its class then.</summary>
internal sealed record RfmRecord(Waymark.Engine.Segments.RfmContribution Contribution, Waymark.Definitions.Predicates.RfmClass? Class);
