using CsCheck;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>The runtime's durable redelivery: geometric waits with jitter, Retry-After honoured, given up 24 h after the send.</summary>
public class RedeliveryScheduleTests
{
    private static readonly DateTimeOffset Decided = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_first_retry_waits_half_a_minute_without_jitter_at_the_middle_draw()
    {
        Assert.Equal(Decided + TimeSpan.FromSeconds(30), RedeliverySchedule.Next(Decided, Decided, null, 0.5));
    }

    [Fact]
    public void The_wait_grows_with_the_time_already_waited_until_it_is_hourly()
    {
        var now = Decided;
        var waits = new List<TimeSpan>();
        while (RedeliverySchedule.Next(Decided, now, null, 0.5) is { } next)
        {
            waits.Add(next - now);
            now = next;
        }

        Assert.Equal(
            [30, 30, 60, 120, 240, 480, 960, 1920, 3600],
            waits.Take(9).Select(w => (int)w.TotalSeconds));
        Assert.All(waits.Skip(9).SkipLast(1), w => Assert.Equal(TimeSpan.FromHours(1), w));
        Assert.Equal(Decided + TimeSpan.FromHours(24), now); // the last attempt is at the deadline, and then it gives up
        Assert.InRange(waits.Count, 30, 34);
    }

    [Theory]
    [InlineData(0.0, 24)]
    [InlineData(0.999999, 36)]
    public void Jitter_moves_a_wait_by_up_to_a_fifth(double draw, int seconds)
    {
        var wait = RedeliverySchedule.Next(Decided, Decided, null, draw)!.Value - Decided;
        Assert.InRange(wait.TotalSeconds, seconds - 0.01, seconds + 0.01);
    }

    [Fact]
    public void A_Retry_After_longer_than_the_wait_is_honoured_and_a_shorter_one_does_not_shorten_it()
    {
        var now = Decided + TimeSpan.FromMinutes(10);

        Assert.Equal(now + TimeSpan.FromMinutes(45), RedeliverySchedule.Next(Decided, now, TimeSpan.FromMinutes(45), 0.5));
        Assert.Equal(now + TimeSpan.FromMinutes(10), RedeliverySchedule.Next(Decided, now, TimeSpan.FromSeconds(5), 0.5));
    }

    [Fact]
    public void A_message_is_given_up_24_hours_after_its_send_was_decided()
    {
        Assert.Null(RedeliverySchedule.Next(Decided, Decided + TimeSpan.FromHours(24), null, 0.5));
        Assert.Null(RedeliverySchedule.Next(Decided, Decided + TimeSpan.FromDays(3), null, 0.5));
        Assert.Equal(Decided + TimeSpan.FromHours(24), RedeliverySchedule.Next(Decided, Decided + TimeSpan.FromHours(23.9), null, 0.5));
    }

    [Fact]
    public void A_Retry_After_beyond_the_deadline_gives_up_at_once()
    {
        Assert.Null(RedeliverySchedule.Next(Decided, Decided + TimeSpan.FromHours(23), TimeSpan.FromHours(2), 0.5));

        // Even when the wait would be longer than the receiver asked: it still will not take it in time.
        Assert.Null(RedeliverySchedule.Next(Decided, Decided + TimeSpan.FromHours(24) - TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), 0.5));
    }

    [Fact]
    public void The_reason_of_a_message_given_up_names_the_window_and_the_last_answer()
    {
        Assert.Equal("not delivered within 24 h: the receiver answered 503 Service Unavailable",
            RedeliverySchedule.GaveUp("the receiver answered 503 Service Unavailable"));
    }

    [Fact]
    public void Every_next_attempt_is_after_now_no_later_than_the_deadline_and_within_the_bounds()
    {
        Gen.Select(
                Gen.Long[0, (long)TimeSpan.FromHours(26).TotalSeconds],
                Gen.Long[-1, (long)TimeSpan.FromHours(30).TotalSeconds].Select(s => s < 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(s)),
                Gen.Double[0, 0.999999],
                (elapsed, asked, draw) => (elapsed, asked, draw))
            .Sample(sample =>
            {
                var (elapsed, asked, draw) = sample;
                var now = Decided + TimeSpan.FromSeconds(elapsed);
                var deadline = Decided + RedeliverySchedule.GiveUpAfter;
                var next = RedeliverySchedule.Next(Decided, now, asked, draw);
                if (now >= deadline || now + asked > deadline)
                {
                    return next is null;
                }

                return next is { } at
                    && at > now
                    && at <= deadline
                    && (at == deadline || at - now >= RedeliverySchedule.MinDelay * (1 - RedeliverySchedule.Jitter))
                    && (asked is not { } a || at - now >= a || at == deadline)
                    && (at - now <= RedeliverySchedule.MaxDelay * (1 + RedeliverySchedule.Jitter) || (asked is { } b && at - now == b));
            });
    }
}
