namespace Waymark.Bench.Common;

/// <summary>
/// Waymark's business clock for the benchmark (<c>WaymarkClock</c>): real time plus an offset that only grows. Moving
/// it forward stands for the hours a journey's customers wait: they enter with a wait due a day ahead, and one move
/// makes every wait due at once, or a spread of them due over the next seconds. Between moves it runs at real speed,
/// so lateness measured in business time is real lateness. Orleans and ASP.NET Core keep the system clock.
/// </summary>
public sealed class BusinessClock : TimeProvider
{
    private long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves business time forward so that it is <paramref name="at"/> now.</summary>
    public void MoveTo(DateTimeOffset at)
    {
        var by = at - GetUtcNow();
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, "Business time only moves forward.");
        }

        Interlocked.Add(ref offsetTicks, by.Ticks);
    }
}
