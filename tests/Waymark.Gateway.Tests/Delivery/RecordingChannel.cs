using System.Collections.Immutable;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// A channel that keeps what it is given, so runtime tests can assert sends on channels that have no
/// real implementation yet. Like a real channel it keeps one message per id, however often dispatched.
/// Register it under each channel it stands in for: <c>services.AddKeyedSingleton&lt;IMessageChannel&gt;(Channel.Sms, recording)</c>.
/// </summary>
public sealed class RecordingChannel : IMessageChannel
{
    private readonly Lock gate = new();
    private ImmutableList<OutgoingMessage> messages = [];
    private int dispatches;

    /// <summary>Every distinct message, in the order first dispatched.</summary>
    public ImmutableList<OutgoingMessage> Messages
    {
        get
        {
            lock (gate)
            {
                return messages;
            }
        }
    }

    /// <summary>How many times any message was dispatched, repeats included.</summary>
    public int Dispatches
    {
        get
        {
            lock (gate)
            {
                return dispatches;
            }
        }
    }

    public Task<DispatchResult> DispatchAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            dispatches++;
            if (!messages.Exists(m => m.MessageId == message.MessageId))
            {
                messages = messages.Add(message);
            }
        }

        return Task.FromResult(DispatchResult.Sent);
    }
}
