namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// The status api.md §3 shows. Before the first publication it is the draft's approval state; after it,
/// whether the active version runs (an edited draft of a running journey has a <see cref="JourneyView.DraftStatus"/> of its own).
/// </summary>
public enum JourneyStatus
{
    Draft,
    PendingApproval,
    Approved,
    Active,
    Paused,
    Archived,
}
