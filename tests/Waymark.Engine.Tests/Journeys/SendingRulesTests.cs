using System.Collections.Immutable;
using NodaTime;
using NodaTime.Text;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Journeys;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>
/// The sending rules of canvas.md as a pure function: each rule, their order, what transactional messages skip, the
/// cap's rolling window and quiet hours in the customer's zone, across midnight and DST changes.
/// </summary>
public sealed class SendingRulesTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    /// <summary>The workspace defaults: 3 capped messages in 24 h, quiet 22:00–08:00.</summary>
    private static readonly SendCap DefaultCap = new(3, Duration.FromHours(24));
    private static readonly QuietWindow DefaultQuiet = new(new LocalTime(22, 0), new LocalTime(8, 0));

    /// <summary>Midday UTC: outside the default quiet hours.</summary>
    private static readonly Instant Noon = Instant.FromUtc(2027, 5, 20, 12, 0);

    private static readonly Channel[] AllChannels = Enum.GetValues<Channel>();

    public static TheoryData<Channel> Channels => [.. AllChannels];

    public static TheoryData<Channel> AddressedChannels => [Channel.Email, Channel.Sms, Channel.Push];

    [Theory]
    [MemberData(nameof(Channels))]
    public void A_subscribed_reachable_customer_under_the_cap_in_the_daytime_is_sent_the_message(Channel channel)
    {
        Assert.Equal(SendNow.Instance, Check(channel, Facts(), Noon));
        Assert.Equal(SendNow.Instance, Check(channel, Facts(), Noon, MessageCategory.Transactional));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void Marketing_on_a_channel_the_customer_unsubscribed_from_is_suppressed(Channel channel)
    {
        Assert.Equal(new SuppressSend("unsubscribed"), Check(channel, Facts(unsubscribed: [channel]), Noon));
    }

    [Fact]
    public void Unsubscribing_from_one_channel_leaves_the_others()
    {
        var facts = Facts(unsubscribed: [Channel.Email]);

        Assert.All(AllChannels.Where(c => c != Channel.Email), c => Assert.Equal(SendNow.Instance, Check(c, facts, Noon)));
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void A_transactional_message_ignores_subscriptions(Channel channel)
    {
        Assert.Equal(SendNow.Instance, Check(channel, Facts(unsubscribed: AllChannels), Noon, MessageCategory.Transactional));
    }

    [Theory]
    [MemberData(nameof(AddressedChannels))]
    public void Email_sms_and_push_without_an_address_are_suppressed_transactional_or_not(Channel channel)
    {
        var facts = Facts(addressed: [.. AllChannels.Where(c => c != channel)]);

        Assert.Equal(new SuppressSend("no_address"), Check(channel, facts, Noon));
        Assert.Equal(new SuppressSend("no_address"), Check(channel, facts, Noon, MessageCategory.Transactional));
    }

    [Theory]
    [InlineData(Channel.Webhook)]
    [InlineData(Channel.Inapp)]
    public void A_webhook_and_the_inbox_always_have_an_address(Channel channel)
    {
        Assert.Equal(SendNow.Instance, Check(channel, Facts(addressed: []), Noon));
    }

    [Fact]
    public void Unsubscribed_comes_before_no_address()
    {
        Assert.Equal(new SuppressSend("unsubscribed"), Check(Channel.Sms, Facts(unsubscribed: [Channel.Sms], addressed: []), Noon));
    }

    [Fact]
    public void No_address_comes_before_the_cap()
    {
        Assert.Equal(new SuppressSend("no_address"), Check(Channel.Email, Facts(addressed: [], sends: HoursAgo(1, 2, 3)), Noon));
    }

    [Fact]
    public void The_cap_comes_before_quiet_hours_so_a_capped_message_is_dropped_not_deferred()
    {
        var night = Instant.FromUtc(2027, 5, 20, 23, 0);

        Assert.Equal(new SuppressSend("frequency_cap"), Check(Channel.Push, Facts(sends: [night - Duration.FromHours(1), night - Duration.FromHours(2), night - Duration.FromHours(3)]), night));
    }

    [Fact]
    public void A_transactional_message_without_an_address_is_suppressed_even_when_every_other_rule_would_let_it_through()
    {
        var night = Instant.FromUtc(2027, 5, 20, 23, 0);

        Assert.Equal(new SuppressSend("no_address"), Check(Channel.Push, Facts(unsubscribed: [Channel.Push], addressed: []), night, MessageCategory.Transactional));
    }

    [Theory]
    [MemberData(nameof(AddressedChannels))]
    public void The_fourth_capped_message_in_24_hours_is_suppressed(Channel channel)
    {
        Assert.Equal(SendNow.Instance, Check(channel, Facts(sends: HoursAgo(1, 2)), Noon));
        Assert.Equal(new SuppressSend("frequency_cap"), Check(channel, Facts(sends: HoursAgo(1, 2, 3)), Noon));
        Assert.Equal(new SuppressSend("frequency_cap"), Check(channel, Facts(sends: HoursAgo(0, 1, 2, 3, 4)), Noon));
    }

    [Theory]
    [InlineData("PT24H", false)] // exactly a window ago: out of the rolling window
    [InlineData("PT23H59M59.999S", true)]
    [InlineData("PT1S", true)]
    [InlineData("P2D", false)]
    public void A_send_counts_while_less_than_the_window_has_passed_since(string ago, bool counts)
    {
        var oldest = Noon - Duration.FromTimeSpan(System.Xml.XmlConvert.ToTimeSpan(ago));

        var verdict = Check(Channel.Sms, Facts(sends: [oldest, Noon - Duration.FromMinutes(5), Noon - Duration.FromMinutes(1)]), Noon);

        Assert.Equal(counts ? new SuppressSend("frequency_cap") : SendNow.Instance, verdict);
    }

    [Fact]
    public void The_cap_is_the_workspaces_count_and_window()
    {
        var hourly = Facts(sends: [Noon - Duration.FromMinutes(30)], cap: new SendCap(1, Duration.FromHours(1)));

        Assert.Equal(new SuppressSend("frequency_cap"), Check(Channel.Email, hourly, Noon));
        Assert.Equal(SendNow.Instance, Check(Channel.Email, hourly, Noon + Duration.FromMinutes(30)));
    }

    [Theory]
    [InlineData(Channel.Webhook, MessageCategory.Marketing)]
    [InlineData(Channel.Inapp, MessageCategory.Marketing)]
    [InlineData(Channel.Email, MessageCategory.Transactional)]
    [InlineData(Channel.Sms, MessageCategory.Transactional)]
    [InlineData(Channel.Push, MessageCategory.Transactional)]
    public void Only_marketing_email_sms_and_push_are_capped(Channel channel, MessageCategory category)
    {
        Assert.Equal(SendNow.Instance, Check(channel, Facts(sends: HoursAgo(1, 2, 3, 4, 5)), Noon, category));
        Assert.False(SendingRules.CountsTowardCap(channel, category));
    }

    [Fact]
    public void No_cap_and_no_quiet_hours_when_the_workspace_turned_them_off()
    {
        var night = Instant.FromUtc(2027, 5, 20, 23, 0);
        var off = Facts(sends: [.. Enumerable.Range(1, 50).Select(m => night - Duration.FromMinutes(m))]) with { FrequencyCap = null, QuietHours = null };

        Assert.Equal(SendNow.Instance, Check(Channel.Email, off, night));
    }

    [Theory]
    [InlineData("2027-05-20T21:59:59Z", null)]
    [InlineData("2027-05-20T22:00:00Z", "2027-05-21T08:00:00Z")] // the start is quiet
    [InlineData("2027-05-20T23:30:00Z", "2027-05-21T08:00:00Z")]
    [InlineData("2027-05-21T00:00:00Z", "2027-05-21T08:00:00Z")] // past midnight, the period that began yesterday
    [InlineData("2027-05-21T03:00:00Z", "2027-05-21T08:00:00Z")]
    [InlineData("2027-05-21T07:59:59.999Z", "2027-05-21T08:00:00Z")]
    [InlineData("2027-05-21T08:00:00Z", null)] // the end is not
    [InlineData("2027-05-21T12:00:00Z", null)]
    public void Quiet_hours_that_wrap_midnight_defer_marketing_to_their_end(string at, string? until)
    {
        Assert.Equal(Verdict(until), Check(Channel.Email, Facts(), At(at)));
    }

    [Theory]
    [InlineData("2027-05-20T12:59:00Z", null)]
    [InlineData("2027-05-20T13:00:00Z", "2027-05-20T15:00:00Z")]
    [InlineData("2027-05-20T14:59:00Z", "2027-05-20T15:00:00Z")]
    [InlineData("2027-05-20T15:00:00Z", null)]
    [InlineData("2027-05-20T23:00:00Z", null)]
    public void Quiet_hours_within_one_day_defer_only_between_their_start_and_end(string at, string? until)
    {
        var siesta = Facts(quiet: new QuietWindow(new LocalTime(13, 0), new LocalTime(15, 0)));

        Assert.Equal(Verdict(until), Check(Channel.Sms, siesta, At(at)));
    }

    [Theory]
    [InlineData("2027-05-20T13:59:00Z", null)] // 21:59 in Shanghai
    [InlineData("2027-05-20T14:00:00Z", "2027-05-21T00:00:00Z")] // 22:00 in Shanghai, quiet until 08:00 there
    [InlineData("2027-05-20T23:59:00Z", "2027-05-21T00:00:00Z")]
    [InlineData("2027-05-21T00:00:00Z", null)]
    [InlineData("2027-05-20T22:30:00Z", "2027-05-21T00:00:00Z")] // 06:30 on the 21st in Shanghai
    public void Quiet_hours_are_in_the_customers_time_zone(string at, string? until)
    {
        Assert.Equal(Verdict(until), Check(Channel.Push, Facts(), At(at), zone: Shanghai));
    }

    [Theory]
    // New York springs forward on 14 March 2027: 02:00 EST is 03:00 EDT, local 02:00–02:59 does not exist.
    [InlineData("22:00", "02:30", "2027-03-14T06:00:00Z", "2027-03-14T07:00:00Z")] // an end in the gap: the gap's end, 03:00 EDT
    [InlineData("22:00", "02:30", "2027-03-14T06:59:59Z", "2027-03-14T07:00:00Z")]
    [InlineData("22:00", "02:30", "2027-03-14T07:00:00Z", null)]
    [InlineData("22:00", "02:00", "2027-03-14T06:30:00Z", "2027-03-14T07:00:00Z")] // the gap's first minute is skipped too
    [InlineData("22:00", "08:00", "2027-03-14T11:59:00Z", "2027-03-14T12:00:00Z")] // 08:00 EDT, after the change
    [InlineData("02:30", "06:00", "2027-03-14T06:59:00Z", null)] // a start in the gap: quiet from 03:00 EDT
    [InlineData("02:30", "06:00", "2027-03-14T07:00:00Z", "2027-03-14T10:00:00Z")]
    // New York falls back on 7 November 2027: 02:00 EDT is 01:00 EST, local 01:00–01:59 happens twice.
    [InlineData("22:00", "01:30", "2027-11-07T04:30:00Z", "2027-11-07T05:30:00Z")] // an end in the overlap: its first pass, EDT
    [InlineData("22:00", "01:30", "2027-11-07T05:30:00Z", null)]
    [InlineData("22:00", "01:30", "2027-11-07T06:10:00Z", null)] // 01:10 EST again: quiet hours ended at the first 01:30
    [InlineData("22:00", "08:00", "2027-11-07T12:59:00Z", "2027-11-07T13:00:00Z")] // 08:00 EST, after the change
    [InlineData("01:30", "05:00", "2027-11-07T05:30:00Z", "2027-11-07T10:00:00Z")] // a start in the overlap: its first pass
    public void Quiet_hours_across_a_DST_change_end_as_until_resolves_local_times(string start, string end, string at, string? until)
    {
        var quiet = new QuietWindow(LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(start).Value, LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(end).Value);

        Assert.Equal(Verdict(until), Check(Channel.Email, Facts(quiet: quiet), At(at), zone: NewYork));
    }

    [Fact]
    public void A_deferral_always_ends_after_now_so_the_rules_running_again_at_its_end_let_the_message_through()
    {
        var quiet = new QuietWindow(new LocalTime(22, 0), new LocalTime(1, 30));
        for (var at = Instant.FromUtc(2027, 11, 6, 0, 0); at < Instant.FromUtc(2027, 11, 9, 0, 0); at += Duration.FromMinutes(7))
        {
            if (Check(Channel.Email, Facts(quiet: quiet), at, zone: NewYork) is DeferSend deferred)
            {
                Assert.True(deferred.Until > at);
                Assert.Equal(SendNow.Instance, Check(Channel.Email, Facts(quiet: quiet), deferred.Until, zone: NewYork));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void Quiet_hours_hold_back_marketing_on_every_channel_and_no_transactional_message(Channel channel)
    {
        var night = Instant.FromUtc(2027, 5, 20, 23, 0);

        Assert.Equal(new DeferSend(Instant.FromUtc(2027, 5, 21, 8, 0)), Check(channel, Facts(), night));
        Assert.Equal(SendNow.Instance, Check(channel, Facts(), night, MessageCategory.Transactional));
    }

    private static SendVerdict Check(Channel channel, DeliveryFacts facts, Instant now, MessageCategory category = MessageCategory.Marketing, DateTimeZone? zone = null) =>
        SendingRules.Check(channel, category, facts, now, zone ?? DateTimeZone.Utc);

    /// <summary>The workspace defaults and a subscribed customer reachable everywhere, unless told otherwise.</summary>
    private static DeliveryFacts Facts(
        Channel[]? unsubscribed = null,
        Channel[]? addressed = null,
        Instant[]? sends = null,
        SendCap? cap = null,
        QuietWindow? quiet = null) => new(
        (unsubscribed ?? []).ToImmutableHashSet(),
        (addressed ?? AllChannels).ToImmutableHashSet(),
        sends ?? [],
        cap ?? DefaultCap,
        quiet ?? DefaultQuiet);

    private static Instant[] HoursAgo(params int[] hours) => [.. hours.Select(h => Noon - Duration.FromHours(h))];

    private static Instant At(string at) => InstantPattern.ExtendedIso.Parse(at).Value;

    private static SendVerdict Verdict(string? until) => until is null ? SendNow.Instance : new DeferSend(At(until));
}
