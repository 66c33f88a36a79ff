namespace Waymark.Engine.Journeys;

/// <summary>
/// The journey runtime as a pure function (docs/STYLE.md, "Dittofeed and Temporal"): given where a run is,
/// what just happened and the context, decide what the run does and where it ends up. No I/O and no clock:
/// the same inputs always give the same decisions, which makes replays after a crash safe.
/// </summary>
public static class JourneyStep
{
    /// <summary>
    /// Advances <paramref name="run"/> on <paramref name="input"/> until it waits, is held or ends. A stale
    /// input (a wake-up before the due time, an event nothing listens for) decides nothing and returns the
    /// run unchanged.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The run took more steps than its canvas has nodes (a bug: the validator forbids cycles that do not
    /// wait), or the run's version lacks a stored template or an experiment winner it names.
    /// </exception>
    public static StepResult Advance(JourneyRun run, StepInput input, StepContext context)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        if (input is Entered entered && !string.Equals(entered.Run.EntryId, run.EntryId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Entered names run {entered.Run.EntryId}, but run {run.EntryId} is advanced.", nameof(input));
        }

        // A lifecycle change is the journey's mode from now on, whatever the context was built with.
        var mode = input is JourneyChanged changed ? changed.Mode : context.Mode;
        var walk = new RunWalk(run, context, mode);
        walk.Take(input);
        return walk.Result();
    }
}
