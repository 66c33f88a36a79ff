namespace Waymark.Engine.Journeys;

/// <summary>Picks among choices whose weights add up to 100 by a percentile, so a choice of weight w takes w of every 100.</summary>
internal static class WeightedPick
{
    /// <summary>The index of the choice whose cumulative weight first exceeds <paramref name="percentile"/> (0..99).</summary>
    public static int Index<T>(IReadOnlyList<T> choices, Func<T, int> weight, int percentile)
    {
        var cumulative = 0;
        for (var i = 0; i < choices.Count; i++)
        {
            cumulative += weight(choices[i]);
            if (percentile < cumulative)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Weights add up to {cumulative}, not 100: the validator lets no such canvas through.");
    }
}
