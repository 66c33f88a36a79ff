using Waymark.GrainInterfaces.Journeys;
using Waymark.Grains.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Grains.Journeys;

/// <summary>
/// The workspace catalogues as a silo's hot paths read them: which journeys an event triggers, and whether a
/// journey runs, is paused or archived. At most one catalogue call per workspace and refresh period per silo,
/// never one per event; the silo that changes a journey refreshes at once, the others within the period.
/// </summary>
public sealed class JourneyDirectory
{
    /// <summary>How late a publication, pause or archive reaches another silo's hot path.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    private readonly WorkspaceCache<WorkspaceJourneys> cache;

    public JourneyDirectory(IGrainFactory grains, WaymarkClock clock) =>
        cache = new(async workspace => new WorkspaceJourneys(await grains.GetGrain<IJourneyCatalogGrain>(workspace).List()), clock, RefreshPeriod);

    public Task<WorkspaceJourneys> GetAsync(string workspace) => cache.GetAsync(workspace);

    public void Invalidate(string workspace) => cache.Invalidate(workspace);
}

/// <summary>One workspace's journeys, indexed for the runtime.</summary>
public sealed class WorkspaceJourneys
{
    private readonly Dictionary<string, JourneySummary> byId;
    private readonly ILookup<string, JourneySummary> byEvent;
    private readonly ILookup<string, JourneySummary> bySegment;

    public WorkspaceJourneys(IEnumerable<JourneySummary> journeys)
    {
        byId = journeys.ToDictionary(j => j.Id, StringComparer.Ordinal);
        byEvent = byId.Values
            .Where(j => j is { Status: JourneyStatus.Active, ActiveTrigger: { Type: "event", Event: not null } })
            .ToLookup(j => j.ActiveTrigger!.Event!, StringComparer.Ordinal);
        bySegment = byId.Values
            .Where(j => j is { Status: JourneyStatus.Active, ActiveTrigger: { Type: "segment", Segment: not null } })
            .ToLookup(j => j.ActiveTrigger!.Segment!, StringComparer.Ordinal);
    }

    /// <summary>Active journeys whose trigger is this event.</summary>
    public IEnumerable<JourneySummary> TriggeredBy(string eventName) => byEvent[eventName];

    /// <summary>Active journeys whose trigger is entering or leaving this segment (which of the two, the version's trigger says).</summary>
    public IEnumerable<JourneySummary> TriggeredBySegment(string segment) => bySegment[segment];

    /// <summary>Null for a journey the catalogue does not list.</summary>
    public JourneySummary? Find(string journeyId) => byId.GetValueOrDefault(journeyId);
}
