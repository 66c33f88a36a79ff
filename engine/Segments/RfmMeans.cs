using NodaTime;

namespace Waymark.Engine.Segments;

/// <summary>The workspace means RFM classes compare with, at one instant: recency in fractional days, orders, amount spent.</summary>
public sealed record RfmMeans(double RecencyDays, double Frequency, decimal Monetary)
{
    /// <summary>
    /// The means at <paramref name="now"/> of a workspace whose customers' <see cref="RfmContribution"/>s add up to
    /// <paramref name="sums"/>; null when no customer has an order in the window.
    /// </summary>
    public static RfmMeans? From(RfmContribution sums, Instant now)
    {
        if (sums.Customers <= 0)
        {
            return null;
        }

        // Decimal division keeps the mean of equal values equal to them, so a customer level with the mean is seen level.
        var meanLastOrderSeconds = (double)((decimal)sums.LastOrderSeconds / sums.Customers);
        return new RfmMeans(
            RfmScore.DaysSince(meanLastOrderSeconds, now),
            sums.Frequency / (double)sums.Customers,
            (decimal)sums.MonetaryMinor / sums.Customers / 100m);
    }
}
