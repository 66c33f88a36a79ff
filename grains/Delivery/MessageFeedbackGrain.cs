using Orleans.Concurrency;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Delivery;
using Waymark.Storage.CustomerLog;

namespace Waymark.Grains.Delivery;

/// <summary>
/// <see cref="IMessageFeedbackGrain"/>: a tracking token names the message's customer, so its feedback goes straight to
/// it; a receiver's event names only the message, so the message's log entries (found by id through a partial index)
/// name the customer first. The customer decides whether the feedback counts.
/// </summary>
[StatelessWorker]
public sealed class MessageFeedbackGrain(ICustomerLog log, TrackingLinks links) : Grain, IMessageFeedbackGrain
{
    public async Task<FeedbackOutcome> Record(string workspace, string messageId, MessageFeedback feedback)
    {
        // Any of the message's entries names its customer; a merge since forwards the call to the survivor.
        var entries = await log.ReadMessageAsync(workspace, messageId);
        return entries.Count == 0
            ? FeedbackOutcome.UnknownMessage
            : await Customer(workspace, entries[0].CustomerKey).RecordFeedback(messageId, feedback);
    }

    public async Task<string?> Click(string token)
    {
        if (await links.VerifyAsync(token, TrackingPurpose.Click) is not { } link || !TrackingToken.IsWebUrl(link.Value))
        {
            return null;
        }

        await Customer(link.Workspace, link.CustomerKey).RecordFeedback(link.MessageId, MessageFeedback.Clicked);
        return link.Value;
    }

    public Task<bool> Open(string token) => Follow(token, TrackingPurpose.Open, MessageFeedback.Opened);

    public Task<bool> Unsubscribe(string token) => Follow(token, TrackingPurpose.Unsubscribe, MessageFeedback.Unsubscribed);

    private async Task<bool> Follow(string token, TrackingPurpose purpose, MessageFeedback feedback)
    {
        if (await links.VerifyAsync(token, purpose) is not { } link)
        {
            return false;
        }

        await Customer(link.Workspace, link.CustomerKey).RecordFeedback(link.MessageId, feedback);
        return true;
    }

    private ICustomerGrain Customer(string workspace, string customerKey) =>
        GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Grain(workspace, customerKey));
}
