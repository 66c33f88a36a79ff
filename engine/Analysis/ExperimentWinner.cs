namespace Waymark.Engine.Analysis;

/// <summary>The horse race's verdict (canvas.md "Experiments").</summary>
public static class ExperimentWinner
{
    /// <summary>
    /// The variant of <paramref name="variants"/> (in canvas order) with the best rate of the experiment's metric;
    /// on a tie the one listed first wins, and with no data at all the first variant.
    /// </summary>
    public static string Pick(IReadOnlyList<string> variants, Func<string, Conversion> results)
    {
        ArgumentOutOfRangeException.ThrowIfZero(variants.Count);
        var best = variants[0];
        var bestRate = results(best).Rate;
        foreach (var variant in variants.Skip(1))
        {
            if (results(variant).Rate > bestRate)
            {
                (best, bestRate) = (variant, results(variant).Rate);
            }
        }

        return best;
    }
}
