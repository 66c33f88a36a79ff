using NodaTime;
using Waymark.Engine.Segments;
using Waymark.Grains.Workspaces;
using Waymark.Model.Time;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Segments;

/// <summary>
/// The workspace RFM means (canvas.md <c>rfm</c>), maintained incrementally: each customer adds the change of its own
/// share (<see cref="RfmContribution"/>) to four workspace counters in the append that records it, so the sums are
/// exact once flushed (about a second) and no one ever scans the customers. A silo reads them at most once a
/// <see cref="RefreshPeriod"/> per workspace: the means a classification uses are at most that old.
/// </summary>
public sealed class RfmSums
{
    /// <summary>How old the means a silo classifies with may be.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The counters' subject in the count store: "$" keeps it apart from every journey id.</summary>
    public const string Subject = "$rfm";

    private const int Version = 1;

    private readonly ICountStore counts;
    private readonly WorkspaceCache<RfmContribution> sums;

    public RfmSums(ICountStore counts, WaymarkClock clock)
    {
        this.counts = counts;
        sums = new(LoadAsync, clock, RefreshPeriod);
    }

    /// <summary>The workspace means now, from sums at most <see cref="RefreshPeriod"/> old; null while no customer has an order in the window.</summary>
    public async Task<RfmMeans?> MeansAsync(string workspace, Instant now) => RfmMeans.From(await sums.GetAsync(workspace), now);

    /// <summary>The count changes that move the workspace sums by <paramref name="delta"/>.</summary>
    public static IEnumerable<(string JourneyId, int Version, string Counter, long Delta)> Changes(RfmContribution delta) =>
        new (string Counter, long Delta)[]
        {
            (nameof(RfmContribution.LastOrderSeconds), delta.LastOrderSeconds),
            (nameof(RfmContribution.Frequency), delta.Frequency),
            (nameof(RfmContribution.MonetaryMinor), delta.MonetaryMinor),
            (nameof(RfmContribution.Customers), delta.Customers),
        }.Where(c => c.Delta != 0).Select(c => (Subject, Version, c.Counter, c.Delta));

    private async Task<RfmContribution> LoadAsync(string workspace)
    {
        var totals = (await counts.ReadAsync(workspace, Subject, Version, null, null))
            .GroupBy(t => t.Counter, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => unchecked(g.Aggregate(0L, (sum, t) => sum + t.Value)), StringComparer.Ordinal);
        return new RfmContribution(
            totals.GetValueOrDefault(nameof(RfmContribution.LastOrderSeconds)),
            totals.GetValueOrDefault(nameof(RfmContribution.Frequency)),
            totals.GetValueOrDefault(nameof(RfmContribution.MonetaryMinor)),
            totals.GetValueOrDefault(nameof(RfmContribution.Customers)));
    }
}
