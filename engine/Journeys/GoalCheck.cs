using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>
/// Conversions (canvas.md "goal"): the goal event, matching its where, stamped within the window counted
/// from entry. The window keeps running after the run ends, so a running run is checked by
/// <see cref="JourneyStep"/> and an ended one through its <see cref="GoalWatch"/> here.
/// </summary>
public static class GoalCheck
{
    /// <summary>
    /// What to keep of <paramref name="run"/>, ending now, to credit a later conversion; null when the journey
    /// has no goal, the run reached it, or the window has passed.
    /// </summary>
    public static GoalWatch? WatchAfter(JourneyDefinition journey, JourneyRun run, Instant now)
    {
        if (journey.Goal is not { } goal || run.GoalReached)
        {
            return null;
        }

        var until = WindowEnd(goal, run.EnteredAt);
        return until < now
            ? null
            : new GoalWatch(run.JourneyId, run.Version, run.EntryId, run.Node, run.EnteredAt, until, run.TriggerProperties, run.CurrentEvent?.Properties, run.Branch, run.Variant);
    }

    /// <summary>
    /// The conversion <paramref name="e"/> (received at <paramref name="receivedAt"/>) makes of the ended run
    /// <paramref name="watch"/> watches, credited to its branch and variant; null when it is none.
    /// <paramref name="journey"/> is the version the run was on.
    /// </summary>
    public static GoalReached? Check(JourneyDefinition journey, GoalWatch watch, CustomerEvent e, Instant receivedAt, CustomerFacts customer, Instant now)
    {
        var values = new RunValues(watch.TriggerProperties, watch.EventProperties);
        return journey.Goal is { } goal && Converts(goal, watch.EnteredAt, values, e, receivedAt, customer, now)
            ? new GoalReached(watch.Node, watch.Branch, watch.Variant)
            : null;
    }

    /// <summary>Whether <paramref name="e"/> reaches <paramref name="goal"/> for a run that entered at <paramref name="enteredAt"/>.</summary>
    internal static bool Converts(Goal goal, Instant enteredAt, RunValues values, CustomerEvent e, Instant receivedAt, CustomerFacts customer, Instant now) =>
        string.Equals(e.Name, goal.Event, StringComparison.Ordinal)
        && e.Timestamp <= WindowEnd(goal, enteredAt)
        && EventAge.HappenedDuringRun(e, receivedAt, enteredAt)
        && (goal.Where is null || PredicateEvaluator.Evaluate(goal.Where, new EvaluationFacts(now, customer, e, values)));

    private static Instant WindowEnd(Goal goal, Instant enteredAt) => Instants.Shift(enteredAt, Duration.FromTimeSpan(goal.Within));
}
