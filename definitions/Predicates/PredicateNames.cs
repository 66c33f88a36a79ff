using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Waymark.Definitions.Predicates;

/// <summary>The words of the predicate language as JSON spells them (canvas.md "Predicates").</summary>
public static class PredicateNames
{
    /// <summary>The field that says which predicate an object is; exactly one appears in each.</summary>
    public static ImmutableArray<string> Forms { get; } =
        ["all", "any", "not", "trait", "tag", "segment", "property", "event", "lastSeen", "rfm"];

    private static readonly FrozenDictionary<ComparisonOperator, string> OperatorNames = new Dictionary<ComparisonOperator, string>
    {
        [ComparisonOperator.Eq] = "eq",
        [ComparisonOperator.Neq] = "neq",
        [ComparisonOperator.Gt] = "gt",
        [ComparisonOperator.Gte] = "gte",
        [ComparisonOperator.Lt] = "lt",
        [ComparisonOperator.Lte] = "lte",
        [ComparisonOperator.In] = "in",
        [ComparisonOperator.NotIn] = "notIn",
        [ComparisonOperator.Contains] = "contains",
        [ComparisonOperator.StartsWith] = "startsWith",
        [ComparisonOperator.Exists] = "exists",
        [ComparisonOperator.NotExists] = "notExists",
        [ComparisonOperator.Between] = "between",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<RfmClass, string> RfmNames = new Dictionary<RfmClass, string>
    {
        [RfmClass.ImportantValue] = "important_value",
        [RfmClass.ImportantDevelop] = "important_develop",
        [RfmClass.ImportantKeep] = "important_keep",
        [RfmClass.ImportantRetain] = "important_retain",
        [RfmClass.GeneralValue] = "general_value",
        [RfmClass.GeneralDevelop] = "general_develop",
        [RfmClass.GeneralKeep] = "general_keep",
        [RfmClass.GeneralRetain] = "general_retain",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ComparisonOperator> OperatorsByName =
        OperatorNames.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, RfmClass> RfmClassesByName =
        RfmNames.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>The RFM class names in the order canvas.md lists them.</summary>
    public static ImmutableArray<string> RfmClasses { get; } = [.. Enum.GetValues<RfmClass>().Select(Of)];

    public static string Of(ComparisonOperator op) => OperatorNames[op];

    public static string Of(RfmClass rfm) => RfmNames[rfm];

    public static bool TryParseOperator(string name, out ComparisonOperator op) => OperatorsByName.TryGetValue(name, out op);

    public static bool TryParseRfmClass(string name, out RfmClass rfm) => RfmClassesByName.TryGetValue(name, out rfm);
}
