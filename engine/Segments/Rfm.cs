using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Segments;

/// <summary>
/// RFM classes (canvas.md "Predicates", <c>rfm</c>): recency, frequency and monetary value of a customer's
/// <c>order_completed</c> events over the workspace's RFM window, each high or low against the workspace mean.
/// </summary>
public static class Rfm
{
    /// <summary>The event RFM scores.</summary>
    public const string OrderEvent = "order_completed";

    /// <summary>The order property monetary value adds up.</summary>
    public const string AmountProperty = "amount";

    /// <summary>The RFM window of a workspace that sets none.</summary>
    public static TimeSpan DefaultWindow { get; } = TimeSpan.FromDays(365);

    /// <summary>
    /// The class of <paramref name="score"/> against <paramref name="means"/>; null when the customer has no order
    /// in the window (no score) or no customer has (no means). High is strictly better than the mean: more recent
    /// (fewer recency days), more orders, more spent; a value level with the mean is low. Monetary value is compared
    /// in whole minor units, as the workspace sums keep it, so customers who spent the same are level with a mean of them.
    /// </summary>
    public static RfmClass? Classify(RfmScore? score, RfmMeans? means)
    {
        if (score is null || means is null)
        {
            return null;
        }

        var recent = score.RecencyDays < means.RecencyDays;
        var frequent = score.Frequency > means.Frequency;
        var valuable = RfmContribution.Minor(score.Monetary) / 100m > means.Monetary;
        return (recent, frequent, valuable) switch
        {
            (true, true, true) => RfmClass.ImportantValue,
            (true, false, true) => RfmClass.ImportantDevelop,
            (false, true, true) => RfmClass.ImportantKeep,
            (false, false, true) => RfmClass.ImportantRetain,
            (true, true, false) => RfmClass.GeneralValue,
            (true, false, false) => RfmClass.GeneralDevelop,
            (false, true, false) => RfmClass.GeneralKeep,
            (false, false, false) => RfmClass.GeneralRetain,
        };
    }
}
