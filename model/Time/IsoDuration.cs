using NodaTime;
using NodaTime.Text;

namespace Waymark.Model.Time;

/// <summary>
/// Durations as canvas.md writes them: ISO 8601 with the units W, D, H, M, S only (a day is 24 hours;
/// months and years have no fixed length and are refused), optionally negative as <c>-P1D</c>.
/// Whether a negative duration is allowed is the caller's rule.
/// </summary>
public static class IsoDuration
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why in a designer's words.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = default;
        var negative = text is ['-', ..];
        var result = string.IsNullOrEmpty(text) ? null : PeriodPattern.NormalizingIso.Parse(negative ? text[1..] : text);
        if (result is not { Success: true } || (negative && text![1..].Contains('-', StringComparison.Ordinal)))
        {
            error = "must be an ISO 8601 duration such as 'PT10M', 'P1D' or 'P1W'";
            return false;
        }

        var period = result.Value;
        if (period.Years != 0 || period.Months != 0)
        {
            error = "months and years have no fixed length: use weeks (W) or days (D)";
            return false;
        }

        // Summed wide: Period.ToDuration overflows past about 292 years, and TimeSpan holds about 29,000.
        var ticks = Ticks(period);
        if (negative)
        {
            ticks = -ticks;
        }

        if (ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
        {
            error = "is too long: a duration can be at most 'P10675199D', about 29,000 years";
            return false;
        }

        duration = TimeSpan.FromTicks((long)ticks);
        error = "";
        return true;
    }

    // Every unit but months and years, in 100 ns ticks (sub-tick nanoseconds truncated); an Int128 cannot overflow here.
    private static Int128 Ticks(Period period)
    {
        var nanoseconds =
            ((Int128)period.Weeks * 7 + period.Days) * NodaConstants.NanosecondsPerDay
            + (Int128)period.Hours * NodaConstants.NanosecondsPerHour
            + (Int128)period.Minutes * NodaConstants.NanosecondsPerMinute
            + (Int128)period.Seconds * NodaConstants.NanosecondsPerSecond
            + (Int128)period.Milliseconds * NodaConstants.NanosecondsPerMillisecond
            + (Int128)period.Ticks * NodaConstants.NanosecondsPerTick
            + period.Nanoseconds;
        return nanoseconds / NodaConstants.NanosecondsPerTick;
    }

    /// <summary>The normalized ISO form (weeks as days) that parses back to <paramref name="duration"/>.</summary>
    public static string Format(TimeSpan duration)
    {
        var text = PeriodPattern.NormalizingIso.Format(Period.FromTicks(Math.Abs(duration.Ticks)).Normalize());
        return duration < TimeSpan.Zero ? "-" + text : text;
    }
}
