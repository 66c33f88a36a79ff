using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Engine.Segments;

/// <summary>
/// What a group of customers looks like (api.md §4 <c>insight</c>): for a trait, the share of the group holding each
/// value; for tags, the share carrying each tag. A customer without the trait counts toward no value, so a trait's
/// shares add up to the share of the group that has it.
/// </summary>
public static class Portrait
{
    /// <summary>The share of <paramref name="traits"/> (one object per customer) holding each value of <paramref name="trait"/>.</summary>
    public static ImmutableDictionary<string, double> TraitShares(IReadOnlyCollection<JsonObject> traits, string trait)
    {
        ArgumentNullException.ThrowIfNull(traits);
        return Shares(traits.Count, traits.Select(t => ValueText(t[trait])).OfType<string>());
    }

    /// <summary>The share of customers carrying each tag, one tag set per customer.</summary>
    public static ImmutableDictionary<string, double> TagShares(IReadOnlyCollection<IEnumerable<string>> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return Shares(tags.Count, tags.SelectMany(t => t.Distinct(StringComparer.Ordinal)));
    }

    private static ImmutableDictionary<string, double> Shares(int total, IEnumerable<string> values) =>
        total == 0
            ? ImmutableDictionary<string, double>.Empty
            : values.GroupBy(v => v, StringComparer.Ordinal).ToImmutableDictionary(g => g.Key, g => (double)g.Count() / total, StringComparer.Ordinal);

    /// <summary>A scalar's text as the API shows values (strings as they are, numbers and booleans as JSON writes them); null for none, objects and arrays.</summary>
    public static string? ValueText(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => bool.TrueString.ToLower(CultureInfo.InvariantCulture),
            JsonValueKind.False => bool.FalseString.ToLower(CultureInfo.InvariantCulture),
            _ => null,
        }
        : null;
}
