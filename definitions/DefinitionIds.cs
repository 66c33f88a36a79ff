using System.Text.RegularExpressions;

namespace Waymark.Definitions;

/// <summary>Ids of journeys, segments and templates as they appear in URLs: <c>[a-z0-9][a-z0-9-]{0,63}</c>.</summary>
public static partial class DefinitionIds
{
    public const string Rule = "must be 1 to 64 lower-case letters, digits or '-', starting with a letter or digit";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}\\z")]
    private static partial Regex Pattern();
}
