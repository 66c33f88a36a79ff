namespace Waymark.Model.Time;

/// <summary>
/// Waymark's business time: when an event is received, when a wait falls due, when a key was issued.
/// It is a service of its own, apart from the <see cref="TimeProvider"/> that Orleans and ASP.NET Core
/// time their own work by, so a test can move Waymark's days forward without expiring the runtime's calls.
/// </summary>
public sealed class WaymarkClock(TimeProvider time) : TimeProvider
{
    /// <summary>Real time: what every process uses unless a test puts another clock in its place.</summary>
    public static WaymarkClock RealTime { get; } = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override long GetTimestamp() => time.GetTimestamp();

    public override long TimestampFrequency => time.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => time.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        time.CreateTimer(callback, state, dueTime, period);
}
