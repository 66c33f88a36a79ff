namespace Waymark.Definitions.Predicates;

/// <summary>What a <see cref="Comparison"/> compares with: a literal, a value read from the run, a list or a range.</summary>
public abstract record Operand;

/// <summary>A value written in the definition.</summary>
public abstract record Literal : Operand;

/// <summary>A JSON number, as a decimal so amounts compare exactly.</summary>
public sealed record NumberLiteral(decimal Value) : Literal;

/// <summary>
/// A JSON string. Ordered comparisons treat two ISO 8601 timestamps as instants and anything else as
/// ordinal text.
/// </summary>
public sealed record TextLiteral(string Value) : Literal;

/// <summary>JSON <c>true</c> or <c>false</c>.</summary>
public sealed record BooleanLiteral(bool Value) : Literal;

/// <summary>An ISO 8601 duration such as <c>-P7D</c>: the values of <see cref="LastSeenPredicate"/>, added to now.</summary>
public sealed record DurationLiteral(TimeSpan Value) : Literal;

/// <summary><c>{ "path": "trigger.properties.orderId" }</c>: a value read from the customer or the run when evaluated.</summary>
public sealed record PathOperand(ValuePath Path) : Operand;

/// <summary>The non-empty list of <c>in</c> and <c>notIn</c>.</summary>
public sealed record ListOperand(EquatableArray<Literal> Values) : Operand;

/// <summary>The <c>[low, high]</c> of <c>between</c>, inclusive: two literals of one type with low ≤ high.</summary>
public sealed record RangeOperand(Literal Low, Literal High) : Operand;
