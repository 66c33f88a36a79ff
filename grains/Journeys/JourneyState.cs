using System.Collections.Immutable;
using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Grains.Journeys;

/// <summary>
/// A journey's persisted state. The draft has an approval state of its own; once a version is published
/// the journey is running (active or paused) whatever happens to later drafts.
/// </summary>
public sealed class JourneyState
{
    /// <summary>Bumped on every write, so the catalogue can ignore a late, older summary.</summary>
    public long Revision { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The draft's canvas JSON; null when there is none (after publication, until the next edit).</summary>
    public string? Draft { get; set; }

    /// <summary>Draft, pending approval or approved.</summary>
    public JourneyStatus DraftStatus { get; set; } = JourneyStatus.Draft;

    public string? SubmittedBy { get; set; }

    public string? ApprovedBy { get; set; }

    public ImmutableArray<string> DraftSegments { get; set; } = [];

    /// <summary>Active or paused once a version was published; null before.</summary>
    public JourneyStatus? Running { get; set; }

    public bool Archived { get; set; }

    public JourneyTriggerInfo? ActiveTrigger { get; set; }

    public ImmutableArray<string> ActiveSegments { get; set; } = [];

    public List<JourneyVersionInfo> Versions { get; set; } = [];

    public List<JourneyHistoryEntry> History { get; set; } = [];

    public bool Exists => Revision > 0;

    public JourneyStatus Status => Archived ? JourneyStatus.Archived : Running ?? DraftStatus;

    public int? ActiveVersion => Versions.Count == 0 ? null : Versions[^1].Version;

    public JourneyView ToView(string id) => new(
        id, Name, Status, Draft is null ? null : DraftStatus, ActiveVersion, Draft, [.. Versions], [.. History]);

    public JourneySummary ToSummary(string id) => new(
        id,
        Name,
        Status,
        ActiveVersion,
        Archived ? null : ActiveTrigger,
        Archived ? [] : [.. DraftSegments.Union(ActiveSegments, StringComparer.Ordinal)],
        Revision);
}
