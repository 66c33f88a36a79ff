using System.Text.Json;
using System.Text.Json.Nodes;
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

    /// <summary>
    /// What a customer's timeline shows. A merged-away key's own <see cref="MergedInto"/> is left out: the
    /// survivor's <see cref="MergedFrom"/> tells the same merge.
    /// </summary>
    public static readonly IReadOnlyCollection<string> OnTimeline = [Event, Profile, MergedFrom, IdentityConflict];

    public static string Serialize<T>(T payload) => JsonSerializer.Serialize(payload, WaymarkJson.Options);

    public static T Deserialize<T>(string payload) =>
        JsonSerializer.Deserialize<T>(payload, WaymarkJson.Options) ?? throw new JsonException($"Empty {typeof(T).Name} in a customer log.");
}

internal sealed record ProfileChange(
    JsonObject? Traits = null,
    string? Tag = null,
    bool? TagPresent = null,
    Dictionary<string, bool>? Subscriptions = null);

internal sealed record MergedFromRecord(string From, CustomerProfile Profile);

internal sealed record MergedIntoRecord(string Into);

internal sealed record IdentityConflictRecord(string Trait, string Value, string Other);
