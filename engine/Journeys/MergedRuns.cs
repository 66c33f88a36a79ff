using Waymark.Definitions.Journeys;

namespace Waymark.Engine.Journeys;

/// <summary>
/// How runs combine when two customers' profiles merge (canvas.md "Entry, exit, goal"): of a journey whose
/// reentry is <c>never</c> or <c>after_exit</c> a customer holds at most one run, so the oldest goes on and
/// the others end with reason <see cref="ExitReasons.Merged"/>. Runs of an <c>always</c> journey are
/// independent and all go on.
/// </summary>
public static class MergedRuns
{
    /// <summary>
    /// The runs of <paramref name="runs"/> (both customers' together) that end, each with its exit. The oldest
    /// run of a journey, by entry time then entry id, decides by its version's <paramref name="reentryOf"/>; a
    /// run whose definition is gone (null) is never ended here.
    /// </summary>
    public static IReadOnlyList<(JourneyRun Run, Exited Exit)> Ended(IEnumerable<JourneyRun> runs, Func<JourneyRun, Reentry?> reentryOf) =>
        [.. runs.GroupBy(r => r.JourneyId, StringComparer.Ordinal)
            .Select(journey => journey.OrderBy(r => r.EnteredAt).ThenBy(r => r.EntryId, StringComparer.Ordinal).ToList())
            .Where(byAge => byAge.Count > 1 && reentryOf(byAge[0]) is Reentry.Never or Reentry.AfterExit)
            .SelectMany(byAge => byAge.Skip(1))
            .Select(run => (run, new Exited(run.Node, ExitReasons.Merged)))];
}
