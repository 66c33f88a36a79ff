using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Journeys;

/// <summary>Something that ends a run wherever it is, with reason <c>exit_criterion</c>.</summary>
public abstract record ExitCriterion;

/// <summary>Ends the run when the named event arrives and matches <see cref="Where"/>.</summary>
public sealed record ExitOnEvent(string Event, Predicate? Where) : ExitCriterion;

/// <summary>Ends the run when the customer leaves the segment.</summary>
public sealed record ExitOnSegmentExit(string Segment) : ExitCriterion;
