namespace Waymark.Engine.Segments;

/// <summary>
/// One customer's share of the workspace RFM sums: the last order in Unix seconds, the order count, the amount spent
/// in minor units (× 100, rounded half away from zero, held at <see cref="long"/>'s ends) and 1 customer; all zero
/// for a customer with no order in the window. The workspace sums are the sum of these, so they share the type.
/// </summary>
public readonly record struct RfmContribution(long LastOrderSeconds, long Frequency, long MonetaryMinor, long Customers)
{
    private const decimal MaxMinorAmount = long.MaxValue / 100m;
    private const decimal MinMinorAmount = long.MinValue / 100m;

    /// <summary>The share of a customer with no order in the window.</summary>
    public static RfmContribution Zero => default;

    /// <summary>The share of <paramref name="score"/>; <see cref="Zero"/> for none.</summary>
    public static RfmContribution Of(RfmScore? score) =>
        score is null ? Zero : new(score.LastOrderAt.ToUnixTimeSeconds(), score.Frequency, Minor(score.Monetary), 1);

    /// <summary>
    /// What to add to the workspace sums when a customer's share moves from <paramref name="old"/> to
    /// <paramref name="new"/>. Arithmetic wraps, so the sums stay exact whenever the true totals fit in 64 bits.
    /// </summary>
    public static RfmContribution Delta(RfmContribution old, RfmContribution @new) => unchecked(new(
        @new.LastOrderSeconds - old.LastOrderSeconds,
        @new.Frequency - old.Frequency,
        @new.MonetaryMinor - old.MonetaryMinor,
        @new.Customers - old.Customers));

    /// <summary>These sums with <paramref name="delta"/> added (wrapping, as <see cref="Delta"/>).</summary>
    public RfmContribution Add(RfmContribution delta) => unchecked(new(
        LastOrderSeconds + delta.LastOrderSeconds,
        Frequency + delta.Frequency,
        MonetaryMinor + delta.MonetaryMinor,
        Customers + delta.Customers));

    /// <summary>An amount in minor units.</summary>
    internal static long Minor(decimal amount) => amount switch
    {
        >= MaxMinorAmount => long.MaxValue,
        <= MinMinorAmount => long.MinValue,
        _ => (long)Math.Round(amount * 100, MidpointRounding.AwayFromZero),
    };
}
