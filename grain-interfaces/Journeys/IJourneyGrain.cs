using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// One journey of a workspace: its draft, the approval workflow, its numbered versions and its audit
/// history. Keyed <c>{workspace}/{journeyId}</c>. Never on a per-event path: the runtime reads published
/// versions from <see cref="IJourneyVersionGrain"/> and finds journeys through the catalogue.
/// </summary>
public interface IJourneyGrain : IGrainWithStringKey
{
    /// <summary>Null when the journey was never saved.</summary>
    [ReadOnly]
    Task<JourneyView?> Describe();

    /// <summary>Creates or replaces the draft after validating it; an edit withdraws a pending submission or approval.</summary>
    Task<Outcome<JourneyView>> SaveDraft(string canvasJson, Actor by);

    /// <summary>Moves the journey through its lifecycle (api.md §3); a step the current state does not allow is a conflict.</summary>
    Task<Outcome<JourneyView>> Transition(JourneyAction action, Actor by, string? comment);
}

/// <summary>The lifecycle steps of api.md §3.</summary>
public enum JourneyAction
{
    Submit,
    Approve,
    Reject,
    Publish,
    Pause,
    Resume,
    Archive,
}
