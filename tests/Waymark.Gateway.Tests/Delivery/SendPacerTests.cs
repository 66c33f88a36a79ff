using Waymark.Definitions.Templates;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>A workspace's per-channel rate limit: sends over it get evenly spaced, ordered slots, and none is dropped.</summary>
public class SendPacerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sends_over_a_rate_below_one_a_second_are_spaced_by_its_interval()
    {
        var pacer = new SendPacer();

        var slots = Enumerable.Range(0, 4).Select(_ => pacer.Reserve("acme", Channel.Webhook, 0.5, Now)).ToList();

        Assert.Equal([Now, Now.AddSeconds(2), Now.AddSeconds(4), Now.AddSeconds(6)], slots);
    }

    [Fact]
    public void One_seconds_worth_of_sends_goes_at_once_and_the_rest_are_spaced()
    {
        var pacer = new SendPacer();

        var slots = Enumerable.Range(0, 8).Select(_ => pacer.Reserve("acme", Channel.Sms, 5, Now)).ToList();

        Assert.Equal(Enumerable.Repeat(Now, 5), slots.Take(5));
        Assert.Equal([Now.AddMilliseconds(200), Now.AddMilliseconds(400), Now.AddMilliseconds(600)], slots.Skip(5));
    }

    [Fact]
    public void The_burst_refills_at_the_rate()
    {
        var pacer = new SendPacer();
        for (var i = 0; i < 5; i++)
        {
            pacer.Reserve("acme", Channel.Push, 5, Now);
        }

        // 400 ms later two sends' worth has come back; a third waits its interval.
        var later = Now.AddMilliseconds(400);
        Assert.Equal(later, pacer.Reserve("acme", Channel.Push, 5, later));
        Assert.Equal(later, pacer.Reserve("acme", Channel.Push, 5, later));
        Assert.Equal(later.AddMilliseconds(200), pacer.Reserve("acme", Channel.Push, 5, later));

        // After a quiet second the whole burst is back.
        var quiet = later.AddSeconds(2);
        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(quiet, pacer.Reserve("acme", Channel.Push, 5, quiet)));
        Assert.Equal(quiet.AddMilliseconds(200), pacer.Reserve("acme", Channel.Push, 5, quiet));
    }

    [Fact]
    public void Workspaces_and_channels_are_paced_apart()
    {
        var pacer = new SendPacer();
        Assert.Equal(Now, pacer.Reserve("acme", Channel.Email, 1, Now));
        Assert.Equal(Now.AddSeconds(1), pacer.Reserve("acme", Channel.Email, 1, Now));

        Assert.Equal(Now, pacer.Reserve("globex", Channel.Email, 1, Now));
        Assert.Equal(Now, pacer.Reserve("acme", Channel.Webhook, 1, Now));
        Assert.Equal(Now, pacer.Reserve("acme", Channel.Sms, 1, Now));
        Assert.Equal(Now.AddSeconds(2), pacer.Reserve("acme", Channel.Email, 1, Now));
    }

    [Fact]
    public void Many_threads_reserving_at_once_get_distinct_exactly_spaced_slots()
    {
        const int threads = 8;
        const int each = 500;
        const double rate = 4; // 250 ms apart after a burst of 4
        var pacer = new SendPacer();
        var slots = new DateTimeOffset[threads][];

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            slots[t] = new DateTimeOffset[each];
            for (var i = 0; i < each; i++)
            {
                slots[t][i] = pacer.Reserve("acme", Channel.Webhook, rate, Now);
            }
        });

        // Each thread's own sends are in order, and together they fill the schedule with neither gap nor double booking.
        Assert.All(slots, own => Assert.Equal(own.Order(), own));
        var all = slots.SelectMany(own => own).Order().ToList();
        Assert.Equal(
            Enumerable.Range(0, threads * each).Select(k => Now + (TimeSpan.FromMilliseconds(250) * Math.Max(0, k - 3))),
            all);
    }

    [Fact]
    public void A_rate_change_applies_from_the_next_send_and_slots_handed_out_stand()
    {
        var pacer = new SendPacer();
        Assert.Equal(Now, pacer.Reserve("acme", Channel.Webhook, 1, Now));
        Assert.Equal(Now.AddSeconds(1), pacer.Reserve("acme", Channel.Webhook, 1, Now));
        Assert.Equal(Now.AddSeconds(2), pacer.Reserve("acme", Channel.Webhook, 1, Now));

        Assert.Equal(Now.AddSeconds(2.1), pacer.Reserve("acme", Channel.Webhook, 10, Now));
        Assert.Equal(Now.AddSeconds(2.2), pacer.Reserve("acme", Channel.Webhook, 10, Now));

        Assert.Equal(Now.AddSeconds(6.2), pacer.Reserve("acme", Channel.Webhook, 0.25, Now));
    }

    [Fact]
    public void Pairs_that_no_longer_hold_sends_back_are_forgotten_and_queued_ones_are_kept()
    {
        var pacer = new SendPacer();
        for (var i = 0; i < 100; i++)
        {
            pacer.Reserve("idle-" + i, Channel.Sms, 10, Now);
        }

        for (var i = 0; i < 600; i++)
        {
            pacer.Reserve("queued", Channel.Sms, 1, Now); // the last slot is 599 s away
        }

        Assert.Equal(101, pacer.Count);

        var later = Now + SendPacer.SweepPeriod + TimeSpan.FromSeconds(1);
        Assert.Equal(Now.AddSeconds(600), pacer.Reserve("queued", Channel.Sms, 1, later));
        Assert.Equal(1, pacer.Count);
        Assert.Equal(later, pacer.Reserve("idle-0", Channel.Sms, 10, later));
        Assert.Equal(2, pacer.Count);
    }

    [Fact]
    public void The_slowest_spacing_is_a_day()
    {
        var pacer = new SendPacer();
        pacer.Reserve("acme", Channel.Email, 1e-9, Now);

        Assert.Equal(Now + SendPacer.MaxInterval, pacer.Reserve("acme", Channel.Email, 1e-9, Now));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_must_be_positive_and_finite(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendPacer().Reserve("acme", Channel.Webhook, rate, Now));
    }

    [Theory]
    [InlineData(100.0, 4, 25.0)]
    [InlineData(0.5, 2, 0.25)]
    [InlineData(10.0, 0, 10.0)]
    public void A_silo_paces_at_its_share_of_the_clusters_rate(double rate, int silos, double share)
    {
        Assert.Equal(share, SendPacer.SiloShare(rate, silos));
    }

    [Fact]
    public void A_channels_rate_comes_from_its_settings_and_inapp_has_none()
    {
        var hook = new HttpChannelSettings(new Uri("https://hooks.acme.io/"), "0123456789abcdef", 200);
        var settings = new ChannelSettings(hook, hook with { RatePerSecond = 3 }, null, new EmailChannelSettings("smtp.acme.io", 587, EmailTls.StartTls, null, null, "a@acme.io", 0.5));

        Assert.Equal(200, settings.RatePerSecond(Channel.Webhook));
        Assert.Equal(3, settings.RatePerSecond(Channel.Sms));
        Assert.Null(settings.RatePerSecond(Channel.Push));
        Assert.Equal(0.5, settings.RatePerSecond(Channel.Email));
        Assert.Null(settings.RatePerSecond(Channel.Inapp));
        Assert.Null(ChannelSettings.None.RatePerSecond(Channel.Email));
    }
}
