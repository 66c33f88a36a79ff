using NodaTime;

namespace Waymark.Engine.Predicates;

/// <summary>Instant arithmetic that stays in range for any duration a definition or event carries.</summary>
internal static class Instants
{
    /// <summary><paramref name="now"/> plus <paramref name="offset"/>, held at the ends of time rather than overflowing.</summary>
    public static Instant Shift(Instant now, Duration offset)
    {
        if (offset > Duration.Zero && offset > Instant.MaxValue - now)
        {
            return Instant.MaxValue;
        }

        if (offset < Duration.Zero && offset < Instant.MinValue - now)
        {
            return Instant.MinValue;
        }

        return now + offset;
    }

    /// <summary>
    /// The calendar day of <paramref name="instant"/> in <paramref name="zone"/>, counted from the Unix epoch:
    /// plain tick arithmetic, because a local date near the ends of time is out of NodaTime's range.
    /// </summary>
    public static long LocalDay(Instant instant, DateTimeZone zone)
    {
        var localTicks = instant.ToUnixTimeTicks() + zone.GetUtcOffset(instant).Ticks;
        var (day, rest) = Math.DivRem(localTicks, NodaConstants.TicksPerDay);
        return rest < 0 ? day - 1 : day;
    }
}
