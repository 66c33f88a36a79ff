using System.Collections.Concurrent;

namespace Waymark.Grains.Workspaces;

/// <summary>
/// A value per workspace that a silo's hot paths read: loaded at most once per <paramref name="period"/> per workspace
/// (concurrent readers share one load; a reader that finds an old one starts the next), never once per event. A failed
/// load is not kept. The silo that changes what the value reflects invalidates it, so it sees the change at once.
/// </summary>
public sealed class WorkspaceCache<T>(Func<string, Task<T>> load, TimeProvider clock, TimeSpan period)
{
    private readonly ConcurrentDictionary<string, (Task<T> Load, DateTimeOffset StartedAt)> entries = new(StringComparer.Ordinal);

    public Task<T> GetAsync(string workspace)
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(workspace, out var entry) && now - entry.StartedAt < period && !entry.Load.IsFaulted)
        {
            return entry.Load;
        }

        var started = (Load: load(workspace), StartedAt: now);
        entries[workspace] = started;
        return started.Load;
    }

    public void Invalidate(string workspace) => entries.TryRemove(workspace, out _);
}
