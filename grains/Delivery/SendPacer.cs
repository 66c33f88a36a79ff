using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// Holds a silo's sends on each (workspace, channel) to the workspace's rate limit
/// (<see cref="ChannelSettingsExtensions.RatePerSecond"/>) by virtual scheduling, as GCRA does: each pair remembers the
/// virtual time of its last slot, the next slot is one interval (1 / rate) after it, and a send may go at its slot or
/// now, whichever is later. Sends over the rate are therefore never dropped: each is handed the next slot, in the order
/// they asked, evenly spaced, and waits for it.
/// <para>
/// Burst: after a quiet spell a pair's virtual time restarts up to <c>burst − 1</c> intervals before now, with
/// <c>burst = max(1, ⌊rate⌋)</c>, so about one second's worth of sends (at least one) goes at once, then the rest are
/// spaced. That is a token bucket of <c>burst</c> sends refilled at the rate: a receiver sized for the rate never
/// sees more than the rate over any second.
/// </para>
/// <para>
/// A rate change applies from the next reservation (spaced from the last slot by the new interval); slots already
/// handed out stand. Memory: an entry that no longer holds its pair back (the next slot would be the same as a new
/// pair's) is dropped by a sweep at most every <see cref="SweepPeriod"/>, so only pairs sending lately are kept.
/// </para>
/// <para>
/// Pure: the clock is the caller's (real time, not the business clock tests move by days). Thread-safe: one lock per
/// silo, held for a few arithmetic operations.
/// </para>
/// </summary>
public sealed class SendPacer
{
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest spacing kept: a limit below one send a day is taken as one a day, so slots stay representable and
    /// within reach of the 24 h a message may wait (<see cref="RedeliverySchedule.GiveUpAfter"/>).
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    private readonly Lock gate = new();

    private readonly Dictionary<(string Workspace, Channel Channel), Entry> entries = [];

    private long nextSweep = long.MinValue;

    /// <summary>How many (workspace, channel) pairs are remembered.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>
    /// The share of a workspace's cluster-wide rate one silo paces at. Each silo holds its own sends to
    /// <c>rate / silos</c>, so together they never exceed the rate (if the workspace's customers sit unevenly on the
    /// silos, the workspace gets somewhat less). The integrator passes the active silos of
    /// <c>IClusterMembershipService.CurrentSnapshot</c>; fewer than one (no snapshot yet) counts as one.
    /// </summary>
    public static double SiloShare(double ratePerSecond, int activeSilos) => ratePerSecond / Math.Max(1, activeSilos);

    /// <summary>
    /// Takes the next slot of the workspace's sends on <paramref name="channel"/> and returns when this send may go:
    /// <paramref name="now"/> when it is within the burst, else a later time the caller waits for. Every call takes a
    /// slot, so call it once per send and only for a channel with a limit.
    /// </summary>
    /// <param name="ratePerSecond">This silo's rate (<see cref="SiloShare"/>): positive and finite.</param>
    public DateTimeOffset Reserve(string workspace, Channel channel, double ratePerSecond, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!(ratePerSecond > 0) || double.IsPositiveInfinity(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "must be positive and finite");
        }

        var interval = (long)Math.Clamp(Math.Round(TimeSpan.TicksPerSecond / ratePerSecond), 1, MaxInterval.Ticks);
        var burst = (long)Math.Clamp(ratePerSecond, 1, TimeSpan.TicksPerSecond);
        var tolerance = (burst - 1) * interval;
        var at = now.UtcTicks;
        long slot;
        lock (gate)
        {
            Sweep(at);
            var earliest = at - tolerance;
            slot = entries.TryGetValue((workspace, channel), out var last) ? Math.Max(last.Slot + interval, earliest) : earliest;
            entries[(workspace, channel)] = new Entry(slot, slot + interval + tolerance);
        }

        return slot <= at ? now : new DateTimeOffset(slot, TimeSpan.Zero);
    }

    private void Sweep(long at)
    {
        if (at < nextSweep)
        {
            return;
        }

        nextSweep = at + SweepPeriod.Ticks;
        foreach (var (key, entry) in entries)
        {
            if (entry.FreeAt <= at)
            {
                entries.Remove(key);
            }
        }
    }

    /// <param name="Slot">The virtual time of the pair's last slot, in UTC ticks; it may be before now (burst).</param>
    /// <param name="FreeAt">From when, at the rate last used, the pair's next slot is the same as a new pair's.</param>
    private readonly record struct Entry(long Slot, long FreeAt);
}
