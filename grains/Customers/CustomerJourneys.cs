using Waymark.Engine.Journeys;
using Waymark.Grains.Journeys;

namespace Waymark.Grains.Customers;

/// <summary>
/// A customer's part in journeys, projected from its log like the profile: the runs it is in, what it
/// entered before (for reentry and cooldown), ended runs whose goal window is open, and messages decided
/// but not yet handed to their channel.
/// </summary>
public sealed class CustomerJourneys
{
    public List<JourneyRun> Runs { get; set; } = [];

    /// <summary>Per journey: how often and when last the customer entered it.</summary>
    public Dictionary<string, JourneyEntries> Entries { get; set; } = new(StringComparer.Ordinal);

    public List<GoalWatch> Goals { get; set; } = [];

    /// <summary>Sends recorded with their message id and content, waiting for their channel's answer.</summary>
    public Dictionary<string, PendingSend> Outbox { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When the customer was last sent capped messages (marketing email, sms and push, <see cref="SendingRules.CountsTowardCap"/>),
    /// oldest first: the times their channels answered <c>sent</c>, for the frequency cap. Pruned to the cap's window.
    /// </summary>
    public List<DateTimeOffset> MarketingSends { get; set; } = [];

    /// <summary>The log seq of the last event the runtime has acted on; events after it are acted on at activation.</summary>
    public long HandledSeq { get; set; }

    public EntryHistory HistoryOf(string journeyId) =>
        Entries.TryGetValue(journeyId, out var entries)
            ? new EntryHistory(Runs.Count(r => r.JourneyId == journeyId), NodaTime.Instant.FromDateTimeOffset(entries.LastAt), EverEntered: true)
            : EntryHistory.None;

    /// <summary>
    /// Takes over the journeys of a profile merged into this one: its runs (a merge's runtime record then ends
    /// those that may not run side by side), its entries, its open goal windows and its unsent messages.
    /// </summary>
    public void Adopt(CustomerJourneys merged)
    {
        Runs.AddRange(merged.Runs.Where(run => !Runs.Exists(r => r.EntryId == run.EntryId)));
        foreach (var (journeyId, theirs) in merged.Entries)
        {
            Entries[journeyId] = Entries.TryGetValue(journeyId, out var ours)
                ? new JourneyEntries(ours.Count + theirs.Count, ours.LastAt > theirs.LastAt ? ours.LastAt : theirs.LastAt, ours.LastAt > theirs.LastAt ? ours.LastEntryId : theirs.LastEntryId)
                : theirs;
        }

        Goals.AddRange(merged.Goals.Where(watch => !Goals.Exists(g => g.EntryId == watch.EntryId)));
        MarketingSends = [.. MarketingSends.Concat(merged.MarketingSends).Order()]; // one person: their messages share a cap
        foreach (var send in merged.Outbox.Values)
        {
            Outbox.TryAdd(send.MessageId, send);
        }
    }

    /// <summary>A send's channel answered (or a sending rule held it back): it leaves the outbox, and a capped message sent counts toward the cap from <paramref name="at"/>.</summary>
    internal void Answered(MessageRecord record, DateTimeOffset at)
    {
        if (Outbox.Remove(record.MessageId, out var send)
            && record.Status == JourneyCounters.Sent
            && SendingRules.CountsTowardCap(send.Channel, send.Category))
        {
            MarketingSends.Add(at);
        }
    }

    /// <summary>Forgets the capped messages sent before <paramref name="before"/>, which no cap window reaches any more.</summary>
    public void ForgetMarketingSendsBefore(DateTimeOffset before) => MarketingSends.RemoveAll(at => at < before);

    public void Apply(RuntimeRecord record, DateTimeOffset at)
    {
        foreach (var change in record.Runs)
        {
            Runs.RemoveAll(r => r.EntryId == change.EntryId);
            if (change.Run is { } run)
            {
                Runs.Add(run);
            }

            if (change.Entered)
            {
                Entries[change.JourneyId] = new JourneyEntries((Entries.GetValueOrDefault(change.JourneyId)?.Count ?? 0) + 1, at, change.EntryId);
            }

            if (change.Watch is { } watch)
            {
                Goals.Add(watch);
            }
        }

        Goals.RemoveAll(g => record.Converted.Contains(g.EntryId) || g.Until.ToDateTimeOffset() < at);
        foreach (var send in record.Sends)
        {
            Outbox[send.MessageId] = send;
        }

        HandledSeq = Math.Max(HandledSeq, record.HandledSeq);
    }
}

/// <summary>How often, when last and by which entry id a customer entered one journey (the id refuses a retried trigger after its run ended).</summary>
public sealed record JourneyEntries(int Count, DateTimeOffset LastAt, string? LastEntryId = null);
