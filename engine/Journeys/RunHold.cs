namespace Waymark.Engine.Journeys;

/// <summary>Why a run is held at its node rather than doing what the node does.</summary>
public enum RunHold
{
    /// <summary>Not held.</summary>
    None,

    /// <summary>
    /// The journey is paused and the run's step came due (or it arrived at a node that acts at once): it stays
    /// until the journey resumes, then does that step.
    /// </summary>
    Paused,

    /// <summary>At a send whose experiment is testing, outside the test group: waits for the winner.</summary>
    Experiment,
}
