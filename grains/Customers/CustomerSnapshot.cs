using Waymark.Model.Customers;

namespace Waymark.Grains.Customers;

/// <summary>
/// The customer's profile as of log entry <see cref="Seq"/>, saved now and then so that activation
/// replays only the entries after it. The log, not this, is the truth.
/// </summary>
public sealed class CustomerSnapshot
{
    public CustomerProfile Profile { get; set; } = new();

    public CustomerJourneys Journeys { get; set; } = new();

    public CustomerSegments Segments { get; set; } = new();

    /// <summary>The survivor this key was merged into, if any.</summary>
    public string? MergedInto { get; set; }

    public long Seq { get; set; }

    /// <summary>Identity values already registered with their <c>IIdentityGrain</c> (re-registering is harmless).</summary>
    public HashSet<string> ClaimedIdentities { get; set; } = new(StringComparer.Ordinal);
}
