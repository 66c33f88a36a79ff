namespace Waymark.Definitions.Predicates;

/// <summary>
/// <c>"op"</c> and <c>"value"</c>. The reader guarantees the operand's shape fits the operator: none for
/// exists and notExists, a <see cref="RangeOperand"/> for between, a <see cref="ListOperand"/> for in and
/// notIn, else a <see cref="Literal"/> or a <see cref="PathOperand"/>.
/// </summary>
public sealed record Comparison(ComparisonOperator Operator, Operand? Operand);
