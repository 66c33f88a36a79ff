using NodaTime;

namespace Waymark.Engine.Predicates;

/// <summary>
/// Everything one evaluation reads, so it is a pure function of this. <paramref name="CurrentEvent"/> is the
/// event <c>property</c> reads at the top (the arriving event of a where, a condition's current event;
/// null: <c>property</c> is false); inside an event predicate's <c>where</c> it is each counted event instead.
/// </summary>
public sealed record EvaluationFacts(Instant Now, CustomerFacts Customer, CustomerEvent? CurrentEvent, RunValues Run);
