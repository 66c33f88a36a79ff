using System.Text.RegularExpressions;

namespace Waymark.Definitions.Validation;

/// <summary>Builds the JSON paths problems are reported at: <c>$.nodes[2].next</c>, <c>$.setTraits['first name']</c>.</summary>
public static partial class JsonPath
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        SimpleName().IsMatch(name) ? $"{parent}.{name}" : $"{parent}['{Escape(name)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    // The backslash is escaped too, so a name ending in one cannot swallow the closing quote.
    private static string Escape(string name) =>
        name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex SimpleName();
}
