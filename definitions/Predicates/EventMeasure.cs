namespace Waymark.Definitions.Predicates;

/// <summary>What an <see cref="EventPredicate"/> measures of the matching events, and the comparison it must pass.</summary>
public abstract record EventMeasure
{
    /// <summary>The measure of an event predicate that writes none: the event happened at least once (count gte 1).</summary>
    public static EventMeasure AtLeastOnce { get; } =
        new CountMeasure(new Comparison(ComparisonOperator.Gte, new NumberLiteral(1)));
}

/// <summary><c>"count": { "op", "value" }</c>: how many events; literal values are whole numbers of 0 or more.</summary>
public sealed record CountMeasure(Comparison Comparison) : EventMeasure;

/// <summary>
/// <c>"days": { "op", "value" }</c>: on how many distinct calendar days (customer's time zone, today
/// included) the event happened; literal values are whole numbers of 0 or more.
/// </summary>
public sealed record DaysMeasure(Comparison Comparison) : EventMeasure;

/// <summary><c>"sum": { "property", "op", "value" }</c>: the total of a numeric event property; literal values are numbers.</summary>
public sealed record SumMeasure(string Property, Comparison Comparison) : EventMeasure;
