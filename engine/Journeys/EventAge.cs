using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>
/// The 24 h rule (canvas.md "Triggers"): an event stamped more than a day before its receipt is history
/// being filled in (an import or backfill). It enters no journey and moves no waitEvent.
/// </summary>
public static class EventAge
{
    /// <summary>How far before its receipt an event may be stamped and still count as live.</summary>
    public static Duration LiveWindow { get; } = Duration.FromHours(24);

    /// <summary>Whether <paramref name="e"/>, received at <paramref name="receivedAt"/>, is a backfill.</summary>
    public static bool IsBackfill(CustomerEvent e, Instant receivedAt) => receivedAt - e.Timestamp > LiveWindow;

    /// <summary>
    /// Whether the event happened while a run that entered at <paramref name="enteredAt"/> was on: a live one
    /// reaches a run only after it entered (client clocks may still stamp it a little earlier); a backfill
    /// only when its timestamp is not before the entry.
    /// </summary>
    internal static bool HappenedDuringRun(CustomerEvent e, Instant receivedAt, Instant enteredAt) =>
        !IsBackfill(e, receivedAt) || e.Timestamp >= enteredAt;
}
