namespace Waymark.Grains.Delivery;

/// <summary>
/// When the runtime dispatches a message again after its channel answered <c>Retry</c> (the channel's own in-call
/// retries are spent by then, see <see cref="HttpDeliveryPipeline"/>). The wait grows with the time the message has
/// already waited — as long again, between <see cref="MinDelay"/> and <see cref="MaxDelay"/>, ± <see cref="Jitter"/> —
/// so the attempts are geometric at first (about 30 s, 1 min, 2 min, …) and then hourly, and many messages failing
/// together spread out instead of returning together. A <c>Retry-After</c> longer than that wait is honoured. A message
/// not delivered <see cref="GiveUpAfter"/> after its send was decided is given up: the last attempt is at that moment,
/// and the runtime records the message <c>failed</c>. Pure: the clock and the random draw are the caller's.
/// </summary>
public static class RedeliverySchedule
{
    public static readonly TimeSpan MinDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    /// <summary>The share of the wait the jitter may add or take away.</summary>
    public const double Jitter = 0.2;

    /// <summary>The next attempt at a message whose channel asked to retry; null to give up.</summary>
    /// <param name="decidedAt">When the send was decided (its sent time): the 24 hours count from it.</param>
    /// <param name="now">When the channel answered.</param>
    /// <param name="retryAfter">How long the receiver asked to wait, if it did.</param>
    /// <param name="random">A uniform draw in [0, 1) for the jitter.</param>
    public static DateTimeOffset? Next(DateTimeOffset decidedAt, DateTimeOffset now, TimeSpan? retryAfter, double random)
    {
        var deadline = decidedAt + GiveUpAfter;
        if (now >= deadline)
        {
            return null;
        }

        var waited = now > decidedAt ? now - decidedAt : TimeSpan.Zero;
        var delay = Clamp(waited) * (1 + (Jitter * ((2 * Math.Clamp(random, 0, 1)) - 1)));
        if (retryAfter is { } asked)
        {
            if (now + asked > deadline)
            {
                return null; // the receiver will not take it before the window closes
            }

            delay = asked > delay ? asked : delay;
        }

        var next = now + delay;
        return next < deadline ? next : deadline;
    }

    /// <summary>The reason recorded with a message given up on, after its channel's last answer.</summary>
    public static string GaveUp(string? lastReason) =>
        $"not delivered within {GiveUpAfter.TotalHours:0} h" + (lastReason is null ? "" : ": " + lastReason);

    private static TimeSpan Clamp(TimeSpan waited) =>
        waited < MinDelay ? MinDelay : waited > MaxDelay ? MaxDelay : waited;
}
