using Waymark.Model.Time;

namespace Waymark.Model.Tests;

public class IsoDurationTests
{
    [Theory]
    [InlineData("PT10M", 0, 0, 10, 0)]
    [InlineData("P1D", 1, 0, 0, 0)]
    [InlineData("P1W", 7, 0, 0, 0)]
    [InlineData("P1W2DT3H4M5S", 9, 3, 4, 5)]
    [InlineData("PT36H", 1, 12, 0, 0)]
    public void Durations_in_weeks_days_hours_minutes_seconds_parse(string text, int days, int hours, int minutes, int seconds)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration, out _));
        Assert.Equal(new TimeSpan(days, hours, minutes, seconds), duration);
    }

    [Fact]
    public void Fractional_seconds_parse()
    {
        Assert.True(IsoDuration.TryParse("PT1.5S", out var duration, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), duration);
    }

    [Fact]
    public void A_leading_minus_makes_a_negative_duration()
    {
        Assert.True(IsoDuration.TryParse("-P1D", out var duration, out _));
        Assert.Equal(TimeSpan.FromDays(-1), duration);
    }

    [Theory]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("P1Y2D")]
    public void Months_and_years_are_refused_with_a_reason(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.Contains("months and years", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10 minutes")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("--P1D")]
    [InlineData("-P-1D")]
    [InlineData("1D")]
    public void Malformed_durations_are_refused(string? text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("P16000000D")]
    [InlineData("-P16000000D")]
    [InlineData("P10675200D")]
    [InlineData("P2147483647W2147483647D")]
    [InlineData("PT9223372036854775807H")]
    [InlineData("PT9223372036854775807H9223372036854775807M")]
    public void Durations_longer_than_a_TimeSpan_holds_are_refused_as_too_long(string text)
    {
        Assert.False(IsoDuration.TryParse(text, out _, out var error));
        Assert.StartsWith("is too long", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P10675199D", 10675199)]
    [InlineData("-P10675199D", -10675199)]
    [InlineData("P200000D", 200000)]
    public void Durations_up_to_what_a_TimeSpan_holds_parse(string text, int days)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration, out _));
        Assert.Equal(TimeSpan.FromDays(days), duration);
    }

    [Theory]
    [InlineData("PT10M")]
    [InlineData("P7D")]
    [InlineData("P1DT2H")]
    [InlineData("-P1D")]
    [InlineData("PT1.5S")]
    public void Formatting_gives_text_that_parses_back_to_the_same_duration(string text)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration, out _));
        var formatted = IsoDuration.Format(duration);
        Assert.True(IsoDuration.TryParse(formatted, out var again, out _));
        Assert.Equal(duration, again);
    }

    [Theory]
    [InlineData(365 * 24 * 60, "P365D")]
    [InlineData(36 * 60, "P1DT12H")]
    [InlineData(10, "PT10M")]
    public void Whole_days_are_formatted_as_days(int minutes, string expected) =>
        Assert.Equal(expected, IsoDuration.Format(TimeSpan.FromMinutes(minutes)));
}
