namespace Waymark.Engine.Journeys;

/// <summary>Whether a trigger enters a customer, or why not. The audience limit is decided after, by the cluster-wide counter.</summary>
public enum EntryVerdict
{
    /// <summary>Enters, if the audience limit allows.</summary>
    Eligible,

    /// <summary>The journey is paused or archived.</summary>
    JourneyNotActive,

    /// <summary>This is not the journey's trigger: another kind, event, segment or transition, or its where does not hold.</summary>
    NotTriggered,

    /// <summary>The event is stamped more than 24 h before its receipt (<see cref="EventAge"/>).</summary>
    Backfill,

    /// <summary>Reentry <c>never</c>, and the customer entered before.</summary>
    AlreadyEntered,

    /// <summary>Reentry <c>after_exit</c>, and a run of the customer has not ended.</summary>
    StillRunning,

    /// <summary>The cooldown since the last entry has not passed.</summary>
    CoolingDown,
}
