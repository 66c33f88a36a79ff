using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>The shared rules of split branches and message variants: two or more, distinct names, weights adding up to 100.</summary>
internal static class WeightedChoices
{
    public const int MinimumCount = 2;
    public const int TotalWeight = 100;

    /// <summary>A choice as read: name and weight are null when they had a problem of their own.</summary>
    public sealed record Choice(string Path, string? Name, int? Weight);

    /// <summary>Reports the rules <paramref name="choices"/> (the items of the array at <paramref name="path"/>) break.</summary>
    public static void Check(IReadOnlyList<Choice> choices, string path, string noun, Problems problems)
    {
        if (choices.Count < MinimumCount)
        {
            problems.Add(path, $"needs at least {MinimumCount} {noun}, not {choices.Count}");
        }

        var firstWithName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var choice in choices)
        {
            if (choice.Name is null)
            {
                continue;
            }

            if (firstWithName.TryGetValue(choice.Name, out var first))
            {
                problems.Add(JsonPath.Property(choice.Path, "name"), $"'{choice.Name}' is already the name of {first}");
            }
            else
            {
                firstWithName[choice.Name] = choice.Path;
            }
        }

        // A sum over some weights would only restate the problem of the weight that is missing.
        if (choices.Count > 0 && choices.All(c => c.Weight is not null))
        {
            var sum = choices.Sum(c => c.Weight!.Value);
            if (sum != TotalWeight)
            {
                problems.Add(path, $"weights add up to {sum}, not {TotalWeight}");
            }
        }
    }
}
