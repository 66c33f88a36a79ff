using System.Text.Json.Nodes;

namespace Waymark.Model.Customers;

/// <summary>
/// What Waymark knows about one customer: the projection of the customer's log. Every change is a method
/// here, so replaying the log after a crash rebuilds exactly the same profile. Serialized as the grain's
/// snapshot and as the payload of a merge.
/// </summary>
public sealed class CustomerProfile
{
    /// <summary>
    /// The longest identity value, as long as a customer id: an identity's grain is keyed
    /// <c>{workspace}/{trait}:{value}</c>, and grain keys are stored in 512 characters.
    /// </summary>
    public const int MaxIdentityLength = 254;

    /// <summary>Channels a customer is subscribed to until they say otherwise.</summary>
    public static readonly IReadOnlyList<string> Channels = ["email", "sms", "push"];

    /// <summary>How long a message id is remembered to drop a retried message (api.md §1).</summary>
    public static readonly TimeSpan DedupeWindow = TimeSpan.FromDays(7);

    public string? UserId { get; set; }

    public List<string> AnonymousIds { get; set; } = [];

    /// <summary>Values of the workspace's identity traits (email, phone) this customer has held, oldest first.</summary>
    public SortedDictionary<string, List<string>> Identities { get; set; } = new(StringComparer.Ordinal);

    public JsonObject Traits { get; set; } = [];

    /// <summary>When each trait was last set: a merge keeps the newer value of each trait.</summary>
    public Dictionary<string, DateTimeOffset> TraitTimes { get; set; } = new(StringComparer.Ordinal);

    public SortedSet<string> Tags { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, bool> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Group id → the group's traits (Segment <c>group</c>).</summary>
    public SortedDictionary<string, JsonObject> Groups { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>The IANA zone from the <c>timezone</c> trait or, failing that, the last event's <c>context.timezone</c>.</summary>
    public string? ContextTimezone { get; set; }

    /// <summary>The last <c>context.device.token</c> seen: the push address when there is no <c>pushToken</c> trait.</summary>
    public string? DeviceToken { get; set; }

    /// <summary>Customer keys merged into this profile, transitively.</summary>
    public SortedSet<string> MergedFrom { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Message ids seen in the dedupe window, with when they were received.</summary>
    public Dictionary<string, DateTimeOffset> RecentMessages { get; set; } = new(StringComparer.Ordinal);

    public bool IsEmpty => FirstSeen is null && Traits.Count == 0 && Tags.Count == 0 && UserId is null && AnonymousIds.Count == 0;

    /// <summary>When <see cref="RecentMessages"/> was last pruned: pruning runs at most hourly, so an event's cost stays flat.</summary>
    public DateTimeOffset MessagesPrunedAt { get; set; }

    /// <summary>Whether a message with this id was applied within the dedupe window before <paramref name="receivedAt"/>.</summary>
    public bool HasSeen(string messageId, DateTimeOffset receivedAt) =>
        RecentMessages.TryGetValue(messageId, out var seen) && seen >= receivedAt - DedupeWindow;

    /// <summary>Records an event's identities, time, dedupe id and device context.</summary>
    public void Observe(string? userId, string? anonymousId, string messageId, DateTimeOffset at, DateTimeOffset receivedAt, JsonObject? context)
    {
        UserId ??= userId;
        AddAnonymousId(anonymousId);
        FirstSeen = FirstSeen is { } first && first <= at ? first : at;
        LastSeen = LastSeen is { } last && last >= at ? last : at;
        RecentMessages[messageId] = receivedAt;
        if (receivedAt - MessagesPrunedAt > TimeSpan.FromHours(1))
        {
            ForgetMessagesBefore(receivedAt - DedupeWindow);
            MessagesPrunedAt = receivedAt;
        }

        if (context?["timezone"] is JsonValue zone && zone.TryGetValue(out string? zoneId))
        {
            ContextTimezone = zoneId;
        }

        if (context?["device"]?["token"] is JsonValue token && token.TryGetValue(out string? deviceToken))
        {
            DeviceToken = deviceToken;
        }
    }

    public void AddAnonymousId(string? anonymousId)
    {
        if (anonymousId is not null && !AnonymousIds.Contains(anonymousId))
        {
            AnonymousIds.Add(anonymousId);
        }
    }

    /// <summary>Shallow merge, as Segment's identify does: each given trait replaces the old value; null removes it.</summary>
    public void SetTraits(JsonObject traits, DateTimeOffset at, IReadOnlyCollection<string> identityTraits)
    {
        foreach (var (name, value) in traits)
        {
            if (TraitTimes.TryGetValue(name, out var setAt) && setAt > at)
            {
                continue; // a later value already won (late-arriving events do not roll traits back)
            }

            TraitTimes[name] = at;
            if (value is null)
            {
                Traits.Remove(name);
                continue;
            }

            Traits[name] = value.DeepClone();
            if (identityTraits.Contains(name) && IdentityValue(name, value) is { } identity)
            {
                AddIdentity(name, identity);
            }
        }
    }

    public void SetGroup(string groupId, JsonObject? traits)
    {
        var group = Groups.TryGetValue(groupId, out var existing) ? existing : Groups[groupId] = [];
        foreach (var (name, value) in traits ?? [])
        {
            group[name] = value?.DeepClone();
        }
    }

    public void SetTag(string tag, bool present)
    {
        if (present)
        {
            Tags.Add(tag);
        }
        else
        {
            Tags.Remove(tag);
        }
    }

    public void SetSubscription(string channel, bool subscribed) => Subscriptions[channel] = subscribed;

    public bool IsSubscribed(string channel) => !Subscriptions.TryGetValue(channel, out var subscribed) || subscribed;

    /// <summary>
    /// Absorbs a profile merged into this one: traits newer-wins, tags, identities and history keys
    /// united, subscriptions the stricter, first and last seen widened.
    /// </summary>
    public void Absorb(string otherKey, CustomerProfile other)
    {
        UserId ??= other.UserId;
        other.AnonymousIds.ForEach(AddAnonymousId);
        foreach (var (trait, values) in other.Identities)
        {
            values.ForEach(value => AddIdentity(trait, value));
        }

        foreach (var (name, value) in other.Traits)
        {
            var theirs = other.TraitTimes.GetValueOrDefault(name);
            if (!Traits.ContainsKey(name) || theirs > TraitTimes.GetValueOrDefault(name))
            {
                Traits[name] = value?.DeepClone();
                TraitTimes[name] = theirs;
            }
        }

        Tags.UnionWith(other.Tags);
        foreach (var (channel, subscribed) in other.Subscriptions)
        {
            Subscriptions[channel] = IsSubscribed(channel) && subscribed;
        }

        foreach (var (groupId, traits) in other.Groups)
        {
            SetGroup(groupId, traits);
        }

        FirstSeen = Earliest(FirstSeen, other.FirstSeen);
        LastSeen = Latest(LastSeen, other.LastSeen);
        ContextTimezone ??= other.ContextTimezone;
        DeviceToken ??= other.DeviceToken;
        MergedFrom.Add(otherKey);
        MergedFrom.UnionWith(other.MergedFrom);
        foreach (var (messageId, receivedAt) in other.RecentMessages)
        {
            RecentMessages.TryAdd(messageId, receivedAt);
        }
    }

    /// <summary>The time zone for local-time rules: the <c>timezone</c> trait, else the last one the customer's device reported.</summary>
    public string? Timezone =>
        Traits["timezone"] is JsonValue zone && zone.TryGetValue(out string? id) ? id : ContextTimezone;

    /// <summary>
    /// Email addresses compare case-insensitively; other identity values as given, trimmed. A value that no database can
    /// key an identity by (one with a NUL, which PostgreSQL refuses in text, or one longer than
    /// <see cref="MaxIdentityLength"/>) stays a trait but is no identity.
    /// </summary>
    public static string? IdentityValue(string trait, JsonNode? value)
    {
        if (value is not JsonValue scalar || !scalar.TryGetValue(out string? text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length > MaxIdentityLength || text.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        return trait == "email" ? text.ToLowerInvariant() : text;
    }

    private void AddIdentity(string trait, string value)
    {
        var values = Identities.TryGetValue(trait, out var list) ? list : Identities[trait] = [];
        if (!values.Contains(value))
        {
            values.Add(value);
        }
    }

    private void ForgetMessagesBefore(DateTimeOffset horizon)
    {
        foreach (var (messageId, receivedAt) in RecentMessages)
        {
            if (receivedAt < horizon)
            {
                RecentMessages.Remove(messageId);
            }
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
