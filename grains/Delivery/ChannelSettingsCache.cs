using System.Collections.Concurrent;
using Waymark.Definitions.Templates;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Delivery;

/// <summary>
/// A silo's copy of each workspace's channel settings (<see cref="ChannelSettings"/>), so a message costs no call to
/// the workspace grain: at most one call per workspace and <see cref="RefreshPeriod"/>. A change reaches other silos
/// within that period, and the silo that made it at once (<see cref="Forget"/>). The period is real time (the
/// <see cref="TimeProvider"/> Orleans times its own work by), not Waymark's business clock, which tests move by days.
/// </summary>
public sealed class ChannelSettingsCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale a channel's settings may be when a message is sent.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (ChannelSettings Settings, long FetchedAt)> entries = new(StringComparer.Ordinal);

    /// <summary>Every channel's settings of the workspace (<see cref="ChannelSettings.None"/> when it has none or does not exist).</summary>
    public async ValueTask<ChannelSettings> GetAsync(string workspace)
    {
        var now = time.GetTimestamp();
        if (entries.TryGetValue(workspace, out var entry) && time.GetElapsedTime(entry.FetchedAt, now) < RefreshPeriod)
        {
            return entry.Settings;
        }

        var settings = await grains.GetGrain<IWorkspaceGrain>(workspace).Channels();
        entries[workspace] = (settings, now);
        return settings;
    }

    /// <summary>Where the workspace's <c>webhook</c>, <c>sms</c> or <c>push</c> messages go; null when it has not configured the channel.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not one of those three.</exception>
    public async ValueTask<HttpChannelSettings?> HttpAsync(string workspace, Channel channel) =>
        (await GetAsync(workspace)).Http(KindOf(channel));

    /// <summary>The workspace's SMTP settings; null when it has not configured email.</summary>
    public async ValueTask<EmailChannelSettings?> EmailAsync(string workspace) => (await GetAsync(workspace)).Email;

    /// <summary>The workspace's send limit on the channel (<see cref="ChannelSettingsExtensions.RatePerSecond"/>); null for none.</summary>
    public async ValueTask<double?> RatePerSecondAsync(string workspace, Channel channel) =>
        (await GetAsync(workspace)).RatePerSecond(channel);

    /// <summary>Drops the workspace's copy, so the next message reads the settings just changed.</summary>
    public void Forget(string workspace) => entries.TryRemove(workspace, out _);

    /// <summary>The HTTP channel a template channel is; throws for email and inapp.</summary>
    public static HttpChannelKind KindOf(Channel channel) => channel switch
    {
        Channel.Webhook => HttpChannelKind.Webhook,
        Channel.Sms => HttpChannelKind.Sms,
        Channel.Push => HttpChannelKind.Push,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not an HTTP channel"),
    };
}
