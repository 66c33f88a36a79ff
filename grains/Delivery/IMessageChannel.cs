namespace Waymark.Grains.Delivery;

/// <summary>
/// One way of delivering messages: <c>inapp</c> here, webhook, email, sms and push with the delivery
/// issue. Each is a DI service keyed by its <see cref="Waymark.Definitions.Templates.Channel"/>, found
/// through <see cref="MessageChannels"/>.
/// </summary>
public interface IMessageChannel
{
    /// <summary>
    /// Delivers the message, idempotently on <see cref="OutgoingMessage.MessageId"/>: dispatching the same
    /// id again (a retry, a redelivery after a crash) never creates a second message. A channel that stores
    /// messages drops the repeat itself; one that hands them on sends the id along (<c>Waymark-Message-Id</c>,
    /// the email <c>Message-ID</c>) so the receiver can. A failure is answered, not thrown: only
    /// cancellation throws.
    /// </summary>
    Task<DispatchResult> DispatchAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
