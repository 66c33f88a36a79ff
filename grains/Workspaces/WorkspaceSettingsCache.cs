using System.Collections.Concurrent;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Grains.Workspaces;

/// <summary>
/// Workspace settings as a silo's hot paths read them: at most one call to a workspace grain per
/// workspace and refresh period, never one per event.
/// </summary>
public sealed class WorkspaceSettingsCache(IGrainFactory grains, WaymarkClock clock)
{
    /// <summary>How stale a setting may be on a hot path; a settings change reaches every silo within it.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (WorkspaceSettings Settings, DateTimeOffset FetchedAt)> entries = new(StringComparer.Ordinal);

    public async ValueTask<WorkspaceSettings> GetAsync(string workspace)
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(workspace, out var entry) && now - entry.FetchedAt < RefreshPeriod)
        {
            return entry.Settings;
        }

        var settings = (await grains.GetGrain<IWorkspaceGrain>(workspace).Describe())?.Settings ?? WorkspaceSettings.Defaults;
        entries[workspace] = (settings, now);
        return settings;
    }
}
