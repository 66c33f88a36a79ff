using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Segments;

/// <summary>
/// Where the clock alone can change a predicate's value: events entering and leaving windows, and values compared
/// with now plus a duration (lastSeen). Tags, traits and the RFM class change only with new data; a segment's
/// membership changes where its own rule does, which the caller adds (<see cref="SegmentEvaluation"/>).
/// </summary>
internal static class PredicateChanges
{
    /// <summary>Adds to <paramref name="changes"/> every instant after now at which <paramref name="predicate"/> may change.</summary>
    public static void Add(Predicate predicate, EvaluationFacts facts, ChangeTimes changes) => Walk(predicate, facts, facts.CurrentEvent, changes);

    // `current` is the event `property` reads, as in PredicateEvaluator: inside a where, each counted event.
    private static void Walk(Predicate predicate, EvaluationFacts facts, CustomerEvent? current, ChangeTimes changes)
    {
        switch (predicate)
        {
            case AllPredicate all:
                WalkAll(all.Predicates, facts, current, changes);
                break;
            case AnyPredicate any:
                WalkAll(any.Predicates, facts, current, changes);
                break;
            case NotPredicate not:
                Walk(not.Negated, facts, current, changes);
                break;
            case TraitPredicate trait:
                AddComparison(trait.Comparison, RuntimeValue.At(facts.Customer.Traits, trait.Trait), changes);
                break;
            case PropertyPredicate property when current is not null:
                AddComparison(property.Comparison, RuntimeValue.At(current.Properties, property.Property), changes);
                break;
            case LastSeenPredicate lastSeen when facts.Customer.LastSeen is { } seen:
                AddComparison(lastSeen.Comparison, RuntimeValue.Of(seen), changes);
                break;
            case EventPredicate counted:
                AddEvents(counted, facts, changes);
                break;
        }
    }

    private static void WalkAll(EquatableArray<Predicate> predicates, EvaluationFacts facts, CustomerEvent? current, ChangeTimes changes)
    {
        for (var i = 0; i < predicates.Count; i++)
        {
            Walk(predicates[i], facts, current, changes);
        }
    }

    // A measure is a function of the counted events alone: count and sum plainly, and days too, because the window
    // is [now − within, now] in instants, not whole days, so a midnight moves nothing. The set of counted events
    // changes only where one enters or leaves the window, or where the where-filter of one changes its answer.
    private static void AddEvents(EventPredicate predicate, EvaluationFacts facts, ChangeTimes changes)
    {
        var events = facts.Customer.History.Named(predicate.Event);
        for (var i = 0; i < events.Count; i++)
        {
            var counted = events[i];
            if (!string.Equals(counted.Name, predicate.Event, StringComparison.Ordinal))
            {
                continue;
            }

            if (predicate.Where is { } where)
            {
                Walk(where, facts, counted, changes);
                if (!PredicateEvaluator.Evaluate(where, facts with { CurrentEvent = counted }))
                {
                    continue; // refused until the filter changes, which the walk above added
                }
            }

            changes.AddWindow(counted.Timestamp, predicate.Within);
        }
    }

    // A value `at` compared with now + d meets it at now = at − d. Seen as a function of now, gt and lte flip at
    // that instant, gte and lt right after it, between enters at the high end and leaves right after the low end.
    // Any other pairing (eq, a list, a mixed range) may flip at either, so both are added.
    private static void AddComparison(Comparison comparison, in RuntimeValue left, ChangeTimes changes)
    {
        if (left.Instant is not { } at)
        {
            return; // only instants order against now + d; anything else compares with fixed values
        }

        switch (comparison.Operator, comparison.Operand)
        {
            case (ComparisonOperator.Gt or ComparisonOperator.Lte, DurationLiteral d):
                changes.Add(Meets(at, d));
                break;
            case (ComparisonOperator.Gte or ComparisonOperator.Lt, DurationLiteral d):
                changes.AddAfter(Meets(at, d));
                break;
            case (ComparisonOperator.Between, RangeOperand { Low: DurationLiteral low, High: DurationLiteral high }):
                changes.Add(Meets(at, high));
                changes.AddAfter(Meets(at, low));
                break;
            default:
                foreach (var d in Durations(comparison.Operand))
                {
                    changes.Add(Meets(at, d));
                    changes.AddAfter(Meets(at, d));
                }

                break;
        }
    }

    private static Instant Meets(Instant at, DurationLiteral d) => Instants.Shift(at, -Duration.FromTimeSpan(d.Value));

    private static IEnumerable<DurationLiteral> Durations(Operand? operand) => operand switch
    {
        DurationLiteral d => [d],
        ListOperand list => list.Values.OfType<DurationLiteral>(),
        RangeOperand range => new[] { range.Low, range.High }.OfType<DurationLiteral>(),
        _ => [],
    };
}
