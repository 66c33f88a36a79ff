namespace Waymark.Definitions.Predicates;

/// <summary>The <c>op</c> of a comparison; <see cref="PredicateNames"/> gives each one's JSON spelling.</summary>
public enum ComparisonOperator
{
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    NotIn,
    Contains,
    StartsWith,
    Exists,
    NotExists,
    Between,
}
