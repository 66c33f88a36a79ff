namespace Waymark.Engine.Journeys;

/// <summary>What a step decided, in order, and where the run is afterwards.</summary>
/// <param name="Run">The run after the step; null when it ended.</param>
/// <param name="Decisions">What the grain carries out and records, in this order; empty when nothing happened.</param>
/// <param name="GoalWatch">
/// When the run ended in this step with its goal not reached and the goal window still open: what the grain
/// keeps to credit a later conversion (<see cref="GoalCheck"/>).
/// </param>
public sealed record StepResult(JourneyRun? Run, IReadOnlyList<Decision> Decisions, GoalWatch? GoalWatch = null);
