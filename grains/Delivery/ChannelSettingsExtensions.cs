using Waymark.Definitions.Templates;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Delivery;

/// <summary>
/// Lookups on <see cref="ChannelSettings"/> by template <see cref="Channel"/>: here rather than on the record because
/// the grain interfaces do not reference the definitions.
/// </summary>
public static class ChannelSettingsExtensions
{
    /// <summary>
    /// The workspace's send limit on the channel, across the cluster (pace with <see cref="SendPacer"/>); null for no
    /// limit, which is also what an unconfigured channel has, and <c>inapp</c> (Waymark's own inbox, no receiver to spare).
    /// </summary>
    public static double? RatePerSecond(this ChannelSettings settings, Channel channel)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return channel switch
        {
            Channel.Webhook or Channel.Sms or Channel.Push => settings.Http(ChannelSettingsCache.KindOf(channel))?.RatePerSecond,
            Channel.Email => settings.Email?.RatePerSecond,
            Channel.Inapp => null,
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
        };
    }
}
