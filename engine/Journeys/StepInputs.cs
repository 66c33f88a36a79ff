using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>What happened to a run, for <see cref="JourneyStep.Advance"/> to act on.</summary>
public abstract record StepInput;

/// <summary>The run was just built by <see cref="JourneyEntry.Start"/> and stands at the start node; <paramref name="Run"/> is the run advanced.</summary>
public sealed record Entered(JourneyRun Run) : StepInput;

/// <summary>The timer says the run's <see cref="JourneyRun.Due"/> has come; stale when it has not (then nothing happens).</summary>
public sealed record WokeUp : StepInput;

/// <summary>
/// An event of the customer arrived, received at <paramref name="ReceivedAt"/>. The grain passes every event
/// but the one that started this very run.
/// </summary>
public sealed record EventArrived(CustomerEvent Event, Instant ReceivedAt) : StepInput;

/// <summary>The journey was paused, resumed or archived.</summary>
public sealed record JourneyChanged(JourneyMode Mode) : StepInput;

/// <summary>The customer left the segment, for an exitWhen <c>{ segment, on: exit }</c>.</summary>
public sealed record LeftSegment(string Segment) : StepInput;

/// <summary>The experiment at <paramref name="Node"/> picked <paramref name="Winner"/>, a variant name of that node.</summary>
public sealed record ExperimentDecided(string Node, string Winner) : StepInput;
