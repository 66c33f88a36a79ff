using System.Buffers;
using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Predicates;

/// <summary>
/// Decides whether a customer meets a <see cref="Predicate"/> (canvas.md "Predicates"): a pure function of
/// the predicate and the <see cref="EvaluationFacts"/>, which never throws for any customer data and
/// allocates nothing but the strings it reads out of JSON (text values, the parts of a dotted name). How
/// values compare is <see cref="ComparisonEvaluator"/>'s rule.
/// </summary>
public static class PredicateEvaluator
{
    /// <summary>Whether <paramref name="predicate"/> holds for <paramref name="facts"/>.</summary>
    public static bool Evaluate(Predicate predicate, EvaluationFacts facts) => Evaluate(predicate, facts, facts.CurrentEvent);

    // `current` is the event `property` reads: the facts' current event, or the event an event predicate's where is counting.
    private static bool Evaluate(Predicate predicate, EvaluationFacts facts, CustomerEvent? current) => predicate switch
    {
        AllPredicate all => All(all.Predicates, facts, current),
        AnyPredicate any => Any(any.Predicates, facts, current),
        NotPredicate not => !Evaluate(not.Negated, facts, current),
        TraitPredicate trait => ComparisonEvaluator.Holds(trait.Comparison, RuntimeValue.At(facts.Customer.Traits, trait.Trait), facts),
        TagPredicate tag => facts.Customer.Tags.Contains(tag.Tag),
        SegmentPredicate segment => facts.Customer.Segments.Contains(segment.Segment),
        PropertyPredicate property => current is not null
            && ComparisonEvaluator.Holds(property.Comparison, RuntimeValue.At(current.Properties, property.Property), facts),
        EventPredicate counted => MeasureHolds(counted, facts),
        // A customer never seen is neither seen recently nor long ago: every lastSeen comparison is false.
        LastSeenPredicate lastSeen => facts.Customer.LastSeen is { } seen
            && ComparisonEvaluator.Holds(lastSeen.Comparison, RuntimeValue.Of(seen), facts),
        RfmPredicate rfm => facts.Customer.Rfm == rfm.Class,
        _ => throw new ArgumentOutOfRangeException(nameof(predicate), $"unknown predicate {predicate.GetType().Name}"),
    };

    private static bool All(EquatableArray<Predicate> predicates, EvaluationFacts facts, CustomerEvent? current)
    {
        for (var i = 0; i < predicates.Count; i++)
        {
            if (!Evaluate(predicates[i], facts, current))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Any(EquatableArray<Predicate> predicates, EvaluationFacts facts, CustomerEvent? current)
    {
        for (var i = 0; i < predicates.Count; i++)
        {
            if (Evaluate(predicates[i], facts, current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MeasureHolds(EventPredicate predicate, EvaluationFacts facts)
    {
        var events = facts.Customer.History.Named(predicate.Event);
        // The window is [now − within, now]: an event exactly `within` ago counts, a later-stamped one not yet.
        var since = predicate.Within is { } within ? Instants.Shift(facts.Now, -Duration.FromTimeSpan(within)) : Instant.MinValue;
        return predicate.Measure switch
        {
            CountMeasure count => ComparisonEvaluator.Holds(count.Comparison, Count(predicate, events, since, facts), facts),
            DaysMeasure days => ComparisonEvaluator.Holds(days.Comparison, Days(predicate, events, since, facts), facts),
            SumMeasure sum => ComparisonEvaluator.Holds(sum.Comparison, Sum(predicate, sum.Property, events, since, facts), facts),
            var measure => throw new ArgumentOutOfRangeException(nameof(predicate), $"unknown event measure {measure.GetType().Name}"),
        };
    }

    private static bool Counts(EventPredicate predicate, CustomerEvent counted, Instant since, EvaluationFacts facts) =>
        counted.Timestamp >= since
        && counted.Timestamp <= facts.Now
        && string.Equals(counted.Name, predicate.Event, StringComparison.Ordinal)
        && (predicate.Where is null || Evaluate(predicate.Where, facts, counted));

    private static RuntimeValue Count(EventPredicate predicate, IReadOnlyList<CustomerEvent> events, Instant since, EvaluationFacts facts)
    {
        var count = 0;
        for (var i = 0; i < events.Count; i++)
        {
            if (Counts(predicate, events[i], since, facts))
            {
                count++;
            }
        }

        return RuntimeValue.Of((decimal)count);
    }

    // Distinct calendar days in the customer's zone, found by sorting the days of the counted events in a pooled buffer.
    private static RuntimeValue Days(EventPredicate predicate, IReadOnlyList<CustomerEvent> events, Instant since, EvaluationFacts facts)
    {
        if (events.Count == 0)
        {
            return RuntimeValue.Of(0m);
        }

        var buffer = ArrayPool<long>.Shared.Rent(events.Count);
        try
        {
            var found = 0;
            for (var i = 0; i < events.Count; i++)
            {
                if (Counts(predicate, events[i], since, facts))
                {
                    buffer[found++] = Instants.LocalDay(events[i].Timestamp, facts.Customer.TimeZone);
                }
            }

            var days = buffer.AsSpan(0, found);
            days.Sort();
            var distinct = 0;
            for (var i = 0; i < days.Length; i++)
            {
                if (i == 0 || days[i] != days[i - 1])
                {
                    distinct++;
                }
            }

            return RuntimeValue.Of((decimal)distinct);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(buffer);
        }
    }

    // Numbers add exactly as decimals until one is too large for decimal or the total would overflow; from
    // then on the total is a double. Values that are not numbers are not amounts and are skipped.
    private static RuntimeValue Sum(EventPredicate predicate, string property, IReadOnlyList<CustomerEvent> events, Instant since, EvaluationFacts facts)
    {
        var exact = 0m;
        var approximate = 0d;
        var isExact = true;
        for (var i = 0; i < events.Count; i++)
        {
            if (!Counts(predicate, events[i], since, facts))
            {
                continue;
            }

            var amount = RuntimeValue.At(events[i].Properties, property);
            if (amount.Kind != RuntimeKind.Number)
            {
                continue;
            }

            if (isExact && amount.IsExact && !Overflows(exact, amount.Exact))
            {
                exact += amount.Exact;
                continue;
            }

            if (isExact)
            {
                approximate = (double)exact;
                isExact = false;
            }

            approximate += amount.AsDouble;
        }

        return isExact ? RuntimeValue.Of(exact) : RuntimeValue.Of(approximate);
    }

    private static bool Overflows(decimal total, decimal amount) =>
        amount > 0 ? total > decimal.MaxValue - amount : total < decimal.MinValue - amount;
}
