using System.Collections.Immutable;

namespace Waymark.Definitions.Predicates;

/// <summary>
/// A rule over a customer, their history and (in a <c>where</c> or a journey <c>condition</c>) one event
/// (canvas.md "Predicates"): a closed union an evaluator can match on exhaustively.
/// </summary>
public abstract record Predicate
{
    /// <summary>The ids of every segment this predicate names, at any depth, in ordinal order.</summary>
    public ImmutableSortedSet<string> ReferencedSegments() =>
        SelfAndDescendants().OfType<SegmentPredicate>().Select(s => s.Segment).ToImmutableSortedSet(StringComparer.Ordinal);

    /// <summary>This predicate and every predicate nested in it (through all, any, not and an event's where), depth first.</summary>
    public IEnumerable<Predicate> SelfAndDescendants()
    {
        // A stack, not recursion: nesting depth is bounded by the reader, but a walk should not need to know that.
        var pending = new Stack<Predicate>([this]);
        while (pending.TryPop(out var predicate))
        {
            yield return predicate;
            var children = predicate switch
            {
                AllPredicate all => all.Predicates,
                AnyPredicate any => any.Predicates,
                NotPredicate not => [not.Negated],
                EventPredicate { Where: { } where } => [where],
                _ => (IEnumerable<Predicate>)[],
            };
            foreach (var child in children.Reverse())
            {
                pending.Push(child);
            }
        }
    }
}

/// <summary><c>{ "all": [p, ...] }</c>: every predicate holds (never empty).</summary>
public sealed record AllPredicate(EquatableArray<Predicate> Predicates) : Predicate;

/// <summary><c>{ "any": [p, ...] }</c>: at least one predicate holds (never empty).</summary>
public sealed record AnyPredicate(EquatableArray<Predicate> Predicates) : Predicate;

/// <summary><c>{ "not": p }</c>.</summary>
public sealed record NotPredicate(Predicate Negated) : Predicate;

/// <summary><c>{ "trait": "age", "op": "gte", "value": 30 }</c>: a customer trait; dots in the name reach into nested values.</summary>
public sealed record TraitPredicate(string Trait, Comparison Comparison) : Predicate;

/// <summary><c>{ "tag": "vip" }</c>: the customer carries the tag.</summary>
public sealed record TagPredicate(string Tag) : Predicate;

/// <summary><c>{ "segment": "silver-members" }</c>: the customer is a member of that segment.</summary>
public sealed record SegmentPredicate(string Segment) : Predicate;

/// <summary>
/// <c>{ "property": "score", "op": "lt", "value": 7 }</c>: a property of the event in context (the one a
/// <c>where</c> filters, or a condition's current event); dots in the name reach into nested values.
/// </summary>
public sealed record PropertyPredicate(string Property, Comparison Comparison) : Predicate;

/// <summary>
/// <c>{ "event": "order_completed", "where"?: p, "within"?: "P30D", "count" | "days" | "sum": … }</c>: a
/// measure of the customer's events of that name matching <see cref="Where"/> over the last
/// <see cref="Within"/> (null: all retained history). With no measure written it is
/// <see cref="EventMeasure.AtLeastOnce"/>, i.e. the event happened.
/// </summary>
public sealed record EventPredicate(string Event, Predicate? Where, TimeSpan? Within, EventMeasure Measure) : Predicate;

/// <summary>
/// <c>{ "lastSeen": { "op": "gte", "value": "-P7D" } }</c>: the time of the customer's latest event
/// against now plus each <see cref="DurationLiteral"/>; the operator is gt, gte, lt, lte or between.
/// </summary>
public sealed record LastSeenPredicate(Comparison Comparison) : Predicate;

/// <summary><c>{ "rfm": "important_value" }</c>: the customer's RFM class.</summary>
public sealed record RfmPredicate(RfmClass Class) : Predicate;
