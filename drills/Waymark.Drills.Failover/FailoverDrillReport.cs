using System.Globalization;
using System.Text;
using Waymark.Drills.Common;

namespace Waymark.Drills.Failover;

/// <summary>One check of the drill: what must hold, whether it did, and the numbers that say so.</summary>
public sealed record DrillCheck(string Name, bool Passed, string Detail)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")}  {Name}: {Detail}";
}

/// <summary>What a run of the failover drill measured and whether each check held.</summary>
public sealed class FailoverDrillReport(FailoverDrillOptions options) : IDrillReport
{
    private readonly List<DrillCheck> checks = [];
    private readonly List<string> figures = [];
    private readonly List<string> diagnostics = [];

    public FailoverDrillOptions Options { get; } = options;

    public IReadOnlyList<DrillCheck> Checks => checks;

    public IReadOnlyList<string> Figures => figures;

    /// <summary>True when the drill ran to its end and every check held.</summary>
    public bool Passed => checks.Count > 0 && checks.TrueForAll(c => c.Passed);

    public void Check(string name, bool passed, string detail) => checks.Add(new DrillCheck(name, passed, detail));

    public void Figure(string line) => figures.Add(line);

    /// <summary>What the processes logged, shown when a check failed.</summary>
    public void Diagnose(string text) => diagnostics.Add(text);

    /// <summary>"n 2,000: p50 1.2 s, p99 9.8 s, max 10.3 s" of <paramref name="values"/>.</summary>
    public static string Spread(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Select(v => v.TotalSeconds).Order().ToList();
        if (sorted.Count == 0)
        {
            return "n 0";
        }

        double At(double share) => sorted[(int)Math.Ceiling(share * sorted.Count) - 1];
        return string.Create(CultureInfo.InvariantCulture, $"n {sorted.Count:N0}: p50 {At(0.5):F1} s, p99 {At(0.99):F1} s, max {sorted[^1]:F1} s");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Failover drill: {Options.Customers:N0} customers entered over {Options.EnrolOver.TotalSeconds:F0} s, wait {Options.Wait.TotalSeconds:F0} s, "
            + $"the silo holding {(Options.KillShardHolder ? "most" : "fewest")} timer shards killed {Options.KillLead.TotalSeconds:F0} s before the first wait was due, "
            + $"bound {Options.Bound.TotalSeconds:F0} s, {Options.Shards} shards");
        foreach (var figure in figures)
        {
            text.AppendLine("  " + figure);
        }

        foreach (var check in checks)
        {
            text.AppendLine(check.ToString());
        }

        text.AppendLine(Passed ? "PASSED" : "FAILED");
        if (!Passed)
        {
            foreach (var diagnostic in diagnostics)
            {
                text.AppendLine(diagnostic);
            }
        }

        return text.ToString();
    }
}
