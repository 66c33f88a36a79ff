namespace Waymark.Definitions.Templates;

/// <summary>
/// What one template field may cost, so a hostile or careless template cannot hang or exhaust a silo.
/// Fluid 2.41 bounds only statements and scope depth; the rest Waymark enforces itself,
/// nesting before Fluid parses (its parser recurses without a guard).
/// </summary>
public static class TemplateLimits
{
    /// <summary>Longest Liquid source of one field (or one payload string), in characters.</summary>
    public const int MaxSourceLength = 256 * 1024;

    /// <summary>Deepest nesting of blocks (<c>if</c> in <c>for</c> in …), and most parentheses or brackets in one expression.</summary>
    public const int MaxNesting = 25;

    /// <summary>Most filters one expression may chain.</summary>
    public const int MaxFiltersPerExpression = 50;

    /// <summary>Most statements (loop iterations included) one field may execute.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>Deepest nesting of scopes (for loops inside for loops) while rendering.</summary>
    public const int MaxRecursion = 32;

    /// <summary>Most items a range (<c>(1..n)</c>) or an assigned array may hold.</summary>
    public const int MaxCollectionLength = 10_000;

    /// <summary>Longest output of one field, captured or assigned string, in characters.</summary>
    public const int MaxOutputLength = 1_000_000;
}
