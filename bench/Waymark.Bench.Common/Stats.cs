namespace Waymark.Bench.Common;

/// <summary>Medians and percentiles of a benchmark's samples.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The value at <paramref name="p"/> (0 to 1) of values sorted ascending.</summary>
    public static double Percentile(List<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted[(int)Math.Round(p * (sorted.Count - 1))];
    }
}
