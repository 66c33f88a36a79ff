using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Customers;
using Waymark.Grains.Delivery;
using Waymark.Grains.Journeys;
using Waymark.Grains.Live;
using Waymark.Grains.Segments;
using Waymark.Grains.Timers;
using Waymark.Grains.Workspaces;
using Waymark.Model.Customers;
using Waymark.Model.Time;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Segments;

namespace Waymark.Grains.Customers;

/// <summary>
/// A customer: its profile is the projection of its log. Every change is appended to the log (group
/// committed across customers, so durable before any caller is answered) and then applied; the snapshot
/// in grain storage is saved now and then, and activation replays the log after it. A key merged into
/// another customer becomes a pointer and forwards every call to the survivor.
/// </summary>
public sealed partial class CustomerGrain(
    [PersistentState(GrainStorage.StateNames.Customer, GrainStorage.ProviderName)]
    IPersistentState<CustomerSnapshot> snapshot,
    ICustomerLog log,
    WorkspaceSettingsCache workspaceSettings,
    JourneyDirectory directory,
    JourneyVersionCache versions,
    ExperimentStates experiments,
    MessageChannels channels,
    TrackingLinks trackingLinks,
    SegmentCatalog segmentCatalog,
    RfmSums rfmSums,
    SendSlots sendSlots,
    IOptions<TimerWheelOptions> timerWheel,
    LiveTransitions live,
    WaymarkClock clock) : Grain, ICustomerGrain
{
    /// <summary>Log entries applied between snapshots: bounds what an activation replays.</summary>
    private const int SnapshotEvery = 100;

    /// <summary>How far a chain of merged ids is followed before giving up (a longer chain means a bug).</summary>
    private const int MaxForwardHops = 8;

    /// <summary>
    /// An edit is applied after it is in the log, and every activation replays it: traits that cannot be applied (a
    /// member twice, which <see cref="JsonObject"/> refuses) must be refused before they are appended, or the log breaks.
    /// </summary>
    private static readonly JsonDocumentOptions TraitsOptions = new() { AllowDuplicateProperties = false };

    private readonly EventCache events = new();

    private string workspace = "";
    private string key = "";
    private IReadOnlyCollection<string> identityTraits = [];
    private int appliedSinceSnapshot;

    /// <summary>False until the survivor has confirmed, in this activation, that it absorbed this pointer's profile.</summary>
    private bool survivorHasProfile;

    private CustomerSnapshot State => snapshot.State;

    private CustomerProfile Profile => State.Profile;

    /// <summary>The id the API shows for this customer: its user id, else its first anonymous id, else its key's id.</summary>
    private string PublicId => Profile.UserId ?? Profile.AnonymousIds.FirstOrDefault() ?? CustomerKeys.PublicId(key);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (workspace, key) = CustomerKeys.Split(this.GetPrimaryKeyString());
        identityTraits = (await workspaceSettings.GetAsync(workspace)).IdentityTraits;
        var replayed = await log.ReadAfterAsync(workspace, key, State.Seq, cancellationToken);
        foreach (var entry in replayed)
        {
            Apply(entry);
        }

        await CatchUpJourneys(replayed);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // An idle customer leaves a fresh snapshot behind. A silo shutting down skips it: thousands of
        // writes would hold the shutdown up, and the replay after the snapshot is short anyway (see Commit).
        if (appliedSinceSnapshot > 0 && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await snapshot.WriteStateAsync(cancellationToken);
        }
    }

    public async Task Ingest(ImmutableArray<CustomerEvent> events)
    {
        using var merging = AllowCallbacks();
        if (State.MergedInto is { } survivor)
        {
            await (await Forward(survivor)).Ingest(events);
            return;
        }

        var fresh = events.Where(e => !Profile.HasSeen(e.MessageId, e.ReceivedAt)).DistinctBy(e => e.MessageId).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        // Merges first, then the events: one append, so the events are durable with what they merged.
        var round = new Round(Now());
        await LinkIdentities(fresh, round);
        round.Entries.AddRange(fresh.Select(e => new PendingEntry(LogKinds.Event, e.Name, e.Timestamp, LogKinds.Serialize(e))));
        await Finish(round);
        await ClaimIdentities();
        await ActOn(fresh);
        await EvaluateSegmentsIfChanged();
    }

    public async Task<CustomerView?> Describe()
    {
        if (State.MergedInto is { } survivor)
        {
            return await (await Forward(survivor)).Describe();
        }

        return Profile.IsEmpty && Profile.MergedFrom.Count == 0 ? null : View();
    }

    public Task<CustomerView> PatchTraits(string traitsJson) =>
        Edit(new ProfileChange(Traits: JsonNode.Parse(traitsJson, documentOptions: TraitsOptions)!.AsObject()), g => g.PatchTraits(traitsJson));

    public Task<CustomerView> SetTag(string tag, bool present) =>
        Edit(new ProfileChange(Tag: tag, TagPresent: present), g => g.SetTag(tag, present));

    public Task<CustomerView> SetSubscriptions(ImmutableDictionary<string, bool> subscriptions) =>
        Edit(new ProfileChange(Subscriptions: new(subscriptions)), g => g.SetSubscriptions(subscriptions));

    public async Task<CustomerView> MergeFrom(string otherCustomerKey)
    {
        using var merging = AllowCallbacks();
        if (State.MergedInto is { } survivor)
        {
            return await (await Forward(survivor)).MergeFrom(otherCustomerKey);
        }

        var round = new Round(Now());
        await Pull(otherCustomerKey, force: true, "userId", CustomerKeys.PublicId(otherCustomerKey), round);
        await Finish(round);
        await ClaimIdentities();
        await EvaluateSegmentsIfChanged();
        return View();
    }

    public async Task<Handover> HandOver(string survivorKey, bool force)
    {
        if (State.MergedInto is { } survivor)
        {
            return survivor == survivorKey
                ? HandedOver(survivorKey)
                : new Handover(HandoverStatus.MergedElsewhere, null, null, survivor);
        }

        if (!force && Profile.UserId is not null)
        {
            return new Handover(HandoverStatus.Conflict, null, null, null);
        }

        // Durable before the survivor absorbs: a crash in between leaves a pointer whose next forward re-sends the profile.
        // The pointer leaves its segments in the same append: the survivor is the member from now on.
        await Commit(
            [new PendingEntry(LogKinds.MergedInto, null, clock.GetUtcNow(), LogKinds.Serialize(new MergedIntoRecord(survivorKey)))],
            memberships: [.. State.Segments.Members.Keys.Select(segment => new MembershipChange(workspace, segment, key, Member: false))]);
        return HandedOver(survivorKey);
    }

    public async Task Absorb(string fromKey, string profileJson, string journeysJson)
    {
        using var merging = AllowCallbacks();
        if (State.MergedInto is { } survivor)
        {
            await (await Forward(survivor)).Absorb(fromKey, profileJson, journeysJson);
            return;
        }

        if (fromKey == key || Profile.MergedFrom.Contains(fromKey))
        {
            return;
        }

        var round = new Round(Now());
        await TakeOver(round, fromKey, profileJson, journeysJson);
        await Finish(round);
        await ClaimIdentities();
        await EvaluateSegmentsIfChanged();
    }

    public async Task RecordConflict(string trait, string value, string otherCustomerKey)
    {
        if (State.MergedInto is { } survivor)
        {
            await (await Forward(survivor)).RecordConflict(trait, value, otherCustomerKey);
            return;
        }

        await Commit([Conflict(trait, value, otherCustomerKey)]);
    }

    public async Task<TimelineView> Timeline(string? cursor, int limit)
    {
        if (State.MergedInto is { } survivor)
        {
            return await (await Forward(survivor)).Timeline(cursor, limit);
        }

        var before = cursor is null ? null : TimelineCursor.TryParse(cursor, out var parsed) ? parsed : throw new ArgumentException("Invalid timeline cursor.", nameof(cursor));
        var page = await log.ReadTimelineAsync(workspace, [key, .. Profile.MergedFrom], LogKinds.OnTimeline, before, limit);
        return new TimelineView([.. page.Items.Select(TimelineItems.ToJson)], page.Next?.ToString());
    }

    public async Task<bool> Erase()
    {
        if (State.MergedInto is { } survivor)
        {
            return await (await Forward(survivor)).Erase();
        }

        if (Profile.IsEmpty && Profile.MergedFrom.Count == 0)
        {
            return false;
        }

        string[] keys = [key, .. Profile.MergedFrom];
        foreach (var (trait, values) in Profile.Identities)
        {
            await Task.WhenAll(values.Select(value => GrainFactory.GetGrain<IIdentityGrain>(CustomerKeys.Identity(workspace, trait, value)).Release(keys)));
        }

        await Task.WhenAll(Profile.MergedFrom.Select(merged => Customer(merged).Forget()));
        await log.EraseAsync(workspace, keys);
        await Forget();
        return true;
    }

    public async Task Forget()
    {
        await snapshot.ClearStateAsync();
        snapshot.State = new CustomerSnapshot();
        appliedSinceSnapshot = 0;
        DeactivateOnIdle();
    }

    private async Task<CustomerView> Edit(ProfileChange change, Func<ICustomerGrain, Task<CustomerView>> forward)
    {
        using var merging = AllowCallbacks();
        if (State.MergedInto is { } survivor)
        {
            return await forward(await Forward(survivor));
        }

        await Commit([new PendingEntry(LogKinds.Profile, null, clock.GetUtcNow(), LogKinds.Serialize(change))]);
        await ClaimIdentities();
        await EvaluateSegmentsIfChanged();
        return View();
    }

    /// <summary>A pointer's answer to its survivor: what it held when it merged, which it keeps as it was from then on.</summary>
    private Handover HandedOver(string survivorKey) =>
        new(HandoverStatus.HandedOver, LogKinds.Serialize(Profile), survivorKey, LogKinds.Serialize(Journeys));

    private PendingEntry Conflict(string trait, string value, string otherKey) =>
        new(LogKinds.IdentityConflict, null, clock.GetUtcNow(), LogKinds.Serialize(new IdentityConflictRecord(trait, value, otherKey)));

    /// <summary>
    /// Merging asks other customers, and one of them may be a pointer to this customer that calls back
    /// (to re-send its profile or answer a question): letting that call chain back in is what keeps the
    /// two from waiting on each other. Callbacks interleave only while this grain awaits another grain,
    /// never inside <c>Commit</c>, so log sequence numbers stay consecutive.
    /// </summary>
    private static RequestContext.ReentrancySection AllowCallbacks() => RequestContext.AllowCallChainReentrancy();

    private ICustomerGrain Customer(string customerKey) =>
        GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Grain(workspace, customerKey));

    private CustomerView View() => new(
        key,
        PublicId,
        Profile.Traits.ToJsonString(),
        [.. Profile.Tags],
        Profile.UserId,
        [.. Profile.AnonymousIds],
        Profile.Identities.ToImmutableDictionary(i => i.Key, i => i.Value.ToImmutableArray()),
        Profile.FirstSeen,
        Profile.LastSeen,
        Profile.Timezone,
        CustomerProfile.Channels.Union(Profile.Subscriptions.Keys).ToImmutableDictionary(c => c, Profile.IsSubscribed),
        [.. Profile.MergedFrom.Select(CustomerKeys.PublicId)],
        new JsonObject(Profile.Groups.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Value.DeepClone()))).ToJsonString(),
        [.. Journeys.Runs.Select(r => new ActiveRun(r.JourneyId, r.Version, r.EntryId, r.Node, r.NodeSince.ToDateTimeOffset()))],
        [.. State.Segments.Members.Keys.Order(StringComparer.Ordinal)]);

    /// <summary>An entry about to be appended; <paramref name="MergedKey"/> names the customer a merged_from entry absorbs.</summary>
    private sealed record PendingEntry(string Kind, string? Name, DateTimeOffset At, string Payload, string? MergedKey = null);
}
