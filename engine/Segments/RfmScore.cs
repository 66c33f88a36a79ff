using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Segments;

/// <summary>
/// A customer's RFM measures at one instant, over the orders in the RFM window (counted as event predicates count:
/// stamped within [now − window, now]).
/// <paramref name="RecencyDays"/> is fractional days since the last order, taken to its whole second as the
/// workspace sums hold it: the customer's recency and the mean recency then shift with the clock alike, so being
/// more recent than the mean does not drift between evaluations. <paramref name="Monetary"/> adds the numeric
/// <c>amount</c>s (others are skipped), held at decimal's ends. <paramref name="Expires"/> is when the oldest order
/// leaves the window, changing F and M (and the class).
/// </summary>
public sealed record RfmScore(Instant LastOrderAt, double RecencyDays, int Frequency, decimal Monetary, Instant Expires)
{
    private const double SecondsPerDay = 86_400;

    /// <summary>The score of the orders in <paramref name="history"/> at <paramref name="now"/>; null when none is in the window.</summary>
    public static RfmScore? Of(IEventHistory history, Instant now, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(history);
        var since = Instants.Shift(now, -Duration.FromTimeSpan(window));
        var orders = history.Named(Rfm.OrderEvent);
        var (frequency, monetary, last, oldest) = (0, 0m, Instant.MinValue, Instant.MaxValue);
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            if (order.Timestamp < since || order.Timestamp > now || !string.Equals(order.Name, Rfm.OrderEvent, StringComparison.Ordinal))
            {
                continue;
            }

            frequency++;
            monetary = Add(monetary, RuntimeValue.At(order.Properties, Rfm.AmountProperty));
            last = Instant.Max(last, order.Timestamp);
            oldest = Instant.Min(oldest, order.Timestamp);
        }

        if (frequency == 0)
        {
            return null;
        }

        var leaves = Instants.Shift(oldest, Duration.FromTimeSpan(window));
        var expires = leaves < Instant.MaxValue ? leaves + Duration.Epsilon : leaves;
        return new RfmScore(last, DaysSince(last.ToUnixTimeSeconds(), now), frequency, monetary, expires);
    }

    /// <summary>Fractional days from a last order at <paramref name="lastOrderSeconds"/> (Unix seconds) to <paramref name="now"/>.</summary>
    internal static double DaysSince(double lastOrderSeconds, Instant now) =>
        (now.ToUnixTimeTicks() / (double)NodaConstants.TicksPerSecond - lastOrderSeconds) / SecondsPerDay;

    // An amount too large for decimal (or a total that would overflow) holds the total at decimal's end.
    private static decimal Add(decimal total, in RuntimeValue amount)
    {
        if (amount.Kind != RuntimeKind.Number)
        {
            return total;
        }

        if (!amount.IsExact)
        {
            return amount.AsDouble switch
            {
                > 0 => decimal.MaxValue,
                < 0 => decimal.MinValue,
                _ => total,
            };
        }

        var value = amount.Exact;
        if (value > 0 && total > decimal.MaxValue - value)
        {
            return decimal.MaxValue;
        }

        return value < 0 && total < decimal.MinValue - value ? decimal.MinValue : total + value;
    }
}
