using Waymark.GrainInterfaces.Delivery;
using Waymark.Grains.Journeys;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Customers;

/// <summary>
/// Delivery feedback (api.md §5): the message's own log entries — its channel's answer and every feedback since, all
/// named by the message id — say whether this type was counted already, so each type counts once per message however
/// often a receiver repeats it or a customer clicks, and the count commits with its timeline item.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The reason of a <c>failed</c> item that a receiver's <c>bounced</c> recorded.</summary>
    private const string BouncedReason = "bounced";

    public async Task<FeedbackOutcome> RecordFeedback(string messageId, MessageFeedback feedback)
    {
        if (State.MergedInto is { } survivor)
        {
            return await (await Forward(survivor)).RecordFeedback(messageId, feedback);
        }

        var records = (await log.ReadMessageAsync(workspace, messageId))
            .Where(e => e.CustomerKey == key || Profile.MergedFrom.Contains(e.CustomerKey))
            .Select(e => LogKinds.Deserialize<MessageRecord>(e.Payload))
            .ToList();
        if (records.Find(r => r.Status is JourneyCounters.Sent or JourneyCounters.Failed) is not { } answer)
        {
            return FeedbackOutcome.UnknownMessage;
        }

        var at = clock.GetUtcNow();
        var entries = new List<PendingEntry>();
        if (feedback == MessageFeedback.Unsubscribed && Profile.IsSubscribed(answer.Channel))
        {
            // Every time: a customer who resubscribed since and follows the link again means it again.
            entries.Add(new PendingEntry(LogKinds.Profile, null, at, LogKinds.Serialize(new ProfileChange(Subscriptions: new() { [answer.Channel] = false }))));
        }

        var status = StatusOf(feedback);
        var first = !records.Exists(r => r.Status == status);
        if (first)
        {
            var record = answer with { Status = status, Reason = feedback == MessageFeedback.Bounced ? BouncedReason : null };
            entries.Add(new PendingEntry(LogKinds.Message, messageId, at, LogKinds.Serialize(record)));
        }

        await Commit(
            entries,
            counts: first ? [new CountDelta(workspace, answer.Journey, answer.Version, JourneyCounters.Message(answer.Node, answer.Variant, status), 1, at)] : null);
        return first ? FeedbackOutcome.Counted : FeedbackOutcome.Repeated;
    }

    /// <summary>The status of the feedback's timeline item, and the message counter it moves.</summary>
    private static string StatusOf(MessageFeedback feedback) => feedback switch
    {
        MessageFeedback.Delivered => JourneyCounters.Delivered,
        MessageFeedback.Opened => JourneyCounters.Opened,
        MessageFeedback.Clicked => JourneyCounters.Clicked,
        MessageFeedback.Bounced => JourneyCounters.Failed,
        MessageFeedback.Unsubscribed => JourneyCounters.Unsubscribed,
        _ => throw new ArgumentOutOfRangeException(nameof(feedback), feedback, null),
    };
}
