namespace Waymark.Definitions.Predicates;

/// <summary>
/// What a comparison's left side is known to be, which decides the operators and literals that make
/// sense: a trait or event property can be anything, a count is a number, lastSeen is a time.
/// </summary>
internal sealed record ComparedValue(string Name, ComparedKind Kind, IReadOnlyList<ComparisonOperator> Operators)
{
    private static readonly ComparisonOperator[] NumericOperators =
    [
        ComparisonOperator.Eq, ComparisonOperator.Neq, ComparisonOperator.Gt, ComparisonOperator.Gte,
        ComparisonOperator.Lt, ComparisonOperator.Lte, ComparisonOperator.In, ComparisonOperator.NotIn,
        ComparisonOperator.Between,
    ];

    public static ComparedValue Trait { get; } = new("trait", ComparedKind.Unknown, Enum.GetValues<ComparisonOperator>());

    public static ComparedValue Property { get; } = new("property", ComparedKind.Unknown, Enum.GetValues<ComparisonOperator>());

    public static ComparedValue Count { get; } = new("count", ComparedKind.WholeNumber, NumericOperators);

    public static ComparedValue Days { get; } = new("days", ComparedKind.WholeNumber, NumericOperators);

    public static ComparedValue Sum { get; } = new("sum", ComparedKind.Number, NumericOperators);

    public static ComparedValue LastSeen { get; } = new("lastSeen", ComparedKind.Time,
        [ComparisonOperator.Gt, ComparisonOperator.Gte, ComparisonOperator.Lt, ComparisonOperator.Lte, ComparisonOperator.Between]);
}

/// <summary>The type a compared value is known to have.</summary>
internal enum ComparedKind
{
    /// <summary>Only known when evaluated (a trait, an event property): mismatches are false then.</summary>
    Unknown,

    /// <summary>A count of events or days: literals must be whole numbers of 0 or more.</summary>
    WholeNumber,

    /// <summary>A sum: literals must be numbers.</summary>
    Number,

    /// <summary>The time of the latest event: literals are durations from now.</summary>
    Time,
}
