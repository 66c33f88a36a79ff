using Waymark.Definitions.Templates;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Inbox;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The <c>inapp</c> channel: puts the message in the inbox of the id the customer's app knows — the user
/// id, else the anonymous id — which <c>GET /v1/inbox/{userId}</c> reads. The inbox drops a repeated id.
/// </summary>
public sealed class InboxChannel(IGrainFactory grains) : IMessageChannel
{
    public async Task<DispatchResult> DispatchAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var inboxId = message.UserId ?? CustomerKeys.PublicId(message.CustomerKey);
        var content = message.Content;
        var inboxMessage = new InboxMessage(
            message.MessageId,
            content.Field(ChannelFields.Title),
            content.Field(ChannelFields.Body),
            content.Field(ChannelFields.Url),
            content.Field(ChannelFields.Image),
            message.SentAt);
        try
        {
            await grains.GetGrain<IInboxGrain>(InboxKeys.Grain(message.Workspace, inboxId)).Deliver(inboxMessage).WaitAsync(cancellationToken);
            return DispatchResult.Sent;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            // The silo or the database did not answer; the same id dispatched again is harmless.
            return DispatchResult.Retry("the inbox did not answer: " + e.Message);
        }
    }
}
