using Microsoft.Extensions.DependencyInjection;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The implementation of each <see cref="Channel"/>: the <see cref="IMessageChannel"/> registered as a
/// keyed service under it (the last registration wins, so a test can put a recording channel in place).
/// </summary>
public sealed class MessageChannels(IServiceProvider services)
{
    /// <summary>The channel's implementation; null when this process has none.</summary>
    public IMessageChannel? Find(Channel channel) => services.GetKeyedService<IMessageChannel>(channel);

    /// <summary>Dispatches through the message's channel; a channel with no implementation fails the message.</summary>
    public Task<DispatchResult> DispatchAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Find(message.Channel)?.DispatchAsync(message, cancellationToken)
            ?? Task.FromResult(DispatchResult.Failed($"no {ChannelFields.NameOf(message.Channel)} channel is available"));
    }
}
