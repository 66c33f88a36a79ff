using System.Text.Json.Nodes;
using Waymark.GrainInterfaces.Customers;
using Waymark.Storage.Counts;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Segments;
using Waymark.Storage.Timers;

namespace Waymark.Grains.Customers;

/// <summary>The log side: append durably, then apply; replay applies the same way.</summary>
public sealed partial class CustomerGrain
{
    /// <summary>
    /// Appends the entries, schedules the wake-ups and records the count changes in one transaction (durable when
    /// this returns), then applies the entries in order.
    /// </summary>
    private async Task Commit(
        IReadOnlyList<PendingEntry> pending,
        IReadOnlyList<TimerEntry>? timers = null,
        IReadOnlyList<CountDelta>? counts = null,
        IReadOnlyList<MembershipChange>? memberships = null)
    {
        if (pending.Count == 0 && timers is not { Count: > 0 })
        {
            return;
        }

        if (State.Seq == 0 && (await segmentCatalog.GetAsync(workspace)).Generation is > 0 and var generation)
        {
            // A new customer has no data an earlier rule could have judged: its first memberships under the segments
            // of today are real entries, which fire their triggers (only a backfill of existing customers is quiet).
            pending = [new PendingEntry(LogKinds.SegmentsEvaluated, null, clock.GetUtcNow(), LogKinds.Serialize(new SegmentsEvaluatedRecord(generation))), .. pending];
        }

        // Applied as the log will return them on replay: times at the microsecond the log keeps.
        var recordedAt = ToMicroseconds(clock.GetUtcNow());
        var entries = pending.Select((p, i) => new LogEntry(workspace, key, State.Seq + 1 + i, p.Kind, ToMicroseconds(p.At), recordedAt, p.Name, p.Payload)).ToList();
        try
        {
            await log.AppendAsync(entries, timers ?? [], counts ?? [], memberships ?? []);
        }
        catch (DuplicateLogEntryException)
        {
            // Another activation of this customer wrote first (possible only while the cluster heals a split):
            // this one's view is stale, so it steps aside and the caller's retry replays the log afresh.
            DeactivateOnIdle();
            throw;
        }

        entries.ForEach(Apply);
        live.Publish(workspace, PublicId, entries);
        if (appliedSinceSnapshot >= SnapshotEvery)
        {
            await snapshot.WriteStateAsync();
            appliedSinceSnapshot = 0;
        }
    }

    private void Apply(LogEntry entry)
    {
        switch (entry.Kind)
        {
            case LogKinds.Event:
                var e = LogKinds.Deserialize<CustomerEvent>(entry.Payload);
                ApplyEvent(e);
                segmentFactsChanged = true;
                if (e.Name is not null)
                {
                    events.Observe(Observed(e));
                }

                break;
            case LogKinds.Profile:
                ApplyChange(LogKinds.Deserialize<ProfileChange>(entry.Payload), entry.At);
                segmentFactsChanged = true;
                break;
            case LogKinds.MergedFrom:
                var merged = LogKinds.Deserialize<MergedFromRecord>(entry.Payload);
                Profile.Absorb(merged.From, merged.Profile);
                Journeys.Adopt(merged.Journeys);
                events.Clear(); // the merged customer's events count from now on
                segmentFactsChanged = true;
                break;
            case LogKinds.Runtime:
                Journeys.Apply(LogKinds.Deserialize<RuntimeRecord>(entry.Payload), entry.At);
                break;
            case LogKinds.Message:
                Journeys.Answered(LogKinds.Deserialize<MessageRecord>(entry.Payload), entry.At);
                break;
            case LogKinds.Segment:
                State.Segments.Apply(LogKinds.Deserialize<SegmentRecord>(entry.Payload));
                break;
            case LogKinds.SegmentsEvaluated:
                State.Segments.Apply(LogKinds.Deserialize<SegmentsEvaluatedRecord>(entry.Payload));
                break;
            case LogKinds.Rfm:
                State.Segments.Apply(LogKinds.Deserialize<RfmRecord>(entry.Payload));
                break;
            case LogKinds.MergedInto:
                State.MergedInto = LogKinds.Deserialize<MergedIntoRecord>(entry.Payload).Into;
                State.Segments.Members.Clear();
                survivorHasProfile = false;
                break;
        }

        State.Seq = entry.Seq;
        appliedSinceSnapshot++;
    }

    private void ApplyEvent(CustomerEvent e)
    {
        var context = e.Context is null ? null : JsonNode.Parse(e.Context)?.AsObject();
        Profile.Observe(e.UserId, e.AnonymousId, e.MessageId, e.Timestamp, e.ReceivedAt, context);
        if (e.Kind == EventKind.Group && e.GroupId is { } groupId)
        {
            Profile.SetGroup(groupId, e.Traits is null ? null : JsonNode.Parse(e.Traits)?.AsObject());
            return;
        }

        // identify carries traits; every other call may carry them in context.traits (api.md §1).
        var traits = e.Kind == EventKind.Identify ? e.Traits : context?["traits"]?.ToJsonString();
        if (traits is not null && JsonNode.Parse(traits) is JsonObject traitObject)
        {
            Profile.SetTraits(traitObject, e.Timestamp, identityTraits);
        }
    }

    private void ApplyChange(ProfileChange change, DateTimeOffset at)
    {
        if (CustomerKeys.IsUser(key))
        {
            Profile.UserId ??= CustomerKeys.PublicId(key);
        }

        if (change.Traits is { } traits)
        {
            Profile.SetTraits(traits, at, identityTraits);
        }

        if (change is { Tag: { } tag, TagPresent: { } present })
        {
            Profile.SetTag(tag, present);
        }

        foreach (var (channel, subscribed) in change.Subscriptions ?? [])
        {
            Profile.SetSubscription(channel, subscribed);
        }
    }

    private static DateTimeOffset ToMicroseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
