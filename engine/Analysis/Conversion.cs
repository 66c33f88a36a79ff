namespace Waymark.Engine.Analysis;

/// <summary>How many of a group's runs (or messages) there were and how many of them converted (or were clicked, opened).</summary>
public readonly record struct Conversion(long Entries, long Converted)
{
    /// <summary>Converted / entries; 0 for an empty group.</summary>
    public double Rate => Entries == 0 ? 0 : (double)Converted / Entries;
}

/// <summary>
/// A group's lift over the control group (api.md §3): (p − p_control) / p_control, with the 95% Wald interval of
/// p − p_control divided by p_control.
/// </summary>
public sealed record Lift(double Value, double Low, double High)
{
    private const double Z95 = 1.959963984540054;

    /// <summary>The lift of <paramref name="group"/> over <paramref name="control"/>; null when either group is empty or the control never converted.</summary>
    public static Lift? Of(Conversion group, Conversion control)
    {
        if (group.Entries == 0 || control.Entries == 0 || control.Converted == 0)
        {
            return null;
        }

        var (p, pc) = (group.Rate, control.Rate);
        var standardError = Math.Sqrt((p * (1 - p) / group.Entries) + (pc * (1 - pc) / control.Entries));
        var difference = p - pc;
        return new Lift(difference / pc, (difference - (Z95 * standardError)) / pc, (difference + (Z95 * standardError)) / pc);
    }
}
