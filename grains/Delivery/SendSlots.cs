using Orleans.Runtime;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// When a send may go under its workspace's rate limit on its channel (<c>ratePerSecond</c> in the channel settings):
/// this silo's <see cref="SendPacer"/> paces it at the silo's share of the limit, the limit divided by the active silos,
/// so the cluster together keeps to it without a shared counter on the path of a send.
/// </summary>
public sealed class SendSlots(ChannelSettingsCache settings, SendPacer pacer, IClusterMembershipService membership)
{
    /// <summary>The time the send may go, its slot taken: <paramref name="now"/> when the channel has no limit or the send is within its burst.</summary>
    public async ValueTask<DateTimeOffset> TakeAsync(string workspace, Channel channel, DateTimeOffset now) =>
        await settings.RatePerSecondAsync(workspace, channel) is { } rate
            ? pacer.Reserve(workspace, channel, SendPacer.SiloShare(rate, ActiveSilos()), now)
            : now;

    private int ActiveSilos() => membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
}
