using System.Collections.Concurrent;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Model.Time;

namespace Waymark.Grains.Journeys;

/// <summary>
/// The workspace catalogues as a silo's hot paths read them: which journeys an event triggers, and whether a
/// journey runs, is paused or archived. At most one catalogue call per workspace and refresh period per silo,
/// never one per event; the silo that changes a journey refreshes at once, the others within the period.
/// </summary>
public sealed class JourneyDirectory(IGrainFactory grains, WaymarkClock clock)
{
    /// <summary>How late a publication, pause or archive reaches another silo's hot path.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (Task<WorkspaceJourneys> Load, DateTimeOffset StartedAt)> entries = new(StringComparer.Ordinal);

    public Task<WorkspaceJourneys> GetAsync(string workspace)
    {
        var now = clock.GetUtcNow();
        if (entries.TryGetValue(workspace, out var entry) && now - entry.StartedAt < RefreshPeriod && !entry.Load.IsFaulted)
        {
            return entry.Load;
        }

        // Concurrent callers share one load; a caller that finds an old one starts the next.
        var load = (Task: LoadAsync(workspace), StartedAt: now);
        entries[workspace] = load;
        return load.Task;
    }

    public void Invalidate(string workspace) => entries.TryRemove(workspace, out _);

    private async Task<WorkspaceJourneys> LoadAsync(string workspace) =>
        new(await grains.GetGrain<IJourneyCatalogGrain>(workspace).List());
}

/// <summary>One workspace's journeys, indexed for the runtime.</summary>
public sealed class WorkspaceJourneys
{
    private readonly Dictionary<string, JourneySummary> byId;
    private readonly ILookup<string, JourneySummary> byEvent;

    public WorkspaceJourneys(IEnumerable<JourneySummary> journeys)
    {
        byId = journeys.ToDictionary(j => j.Id, StringComparer.Ordinal);
        byEvent = byId.Values
            .Where(j => j is { Status: JourneyStatus.Active, ActiveTrigger: { Type: "event", Event: not null } })
            .ToLookup(j => j.ActiveTrigger!.Event!, StringComparer.Ordinal);
    }

    /// <summary>Active journeys whose trigger is this event.</summary>
    public IEnumerable<JourneySummary> TriggeredBy(string eventName) => byEvent[eventName];

    /// <summary>Null for a journey the catalogue does not list.</summary>
    public JourneySummary? Find(string journeyId) => byId.GetValueOrDefault(journeyId);
}
