using System.Collections.Immutable;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;

namespace Waymark.Engine.Journeys;

/// <summary>
/// The sending rules of canvas.md, checked in its order at a send node before anything is sent: the customer
/// unsubscribed from the channel (marketing only), has no address on it, is over the frequency cap (marketing
/// email, sms and push only), or is inside quiet hours (marketing only: the send waits for their end). A pure
/// function of the channel, the category, the customer's <see cref="DeliveryFacts"/>, the time and the zone.
/// </summary>
public static class SendingRules
{
    // Far enough inside NodaTime's range that a local date, a day either side and a zone offset still fit.
    private static readonly Instant EarliestPlaceable = Instant.MinValue + Duration.FromDays(3);
    private static readonly Instant LatestPlaceable = Instant.MaxValue - Duration.FromDays(3);

    /// <summary>What happens to a message of <paramref name="category"/> on <paramref name="channel"/> sent at <paramref name="now"/>.</summary>
    /// <param name="zone">The customer's time zone (the <c>timezone</c> trait, else the workspace's), which quiet hours are in.</param>
    public static SendVerdict Check(Channel channel, MessageCategory category, DeliveryFacts facts, Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(zone);
        var marketing = category == MessageCategory.Marketing;
        if (marketing && facts.Unsubscribed.Contains(channel))
        {
            return new SuppressSend(SuppressionReasons.Unsubscribed);
        }

        if (NeedsAddress(channel) && !facts.Addressed.Contains(channel))
        {
            return new SuppressSend(SuppressionReasons.NoAddress);
        }

        if (CountsTowardCap(channel, category) && facts.FrequencyCap is { } cap && SentWithin(facts.MarketingSends, cap.Window, now) >= cap.Count)
        {
            return new SuppressSend(SuppressionReasons.FrequencyCap);
        }

        if (marketing && facts.QuietHours is { } quiet && QuietUntil(quiet, now, zone) is { } end)
        {
            return new DeferSend(end);
        }

        return SendNow.Instance;
    }

    /// <summary>Whether <paramref name="channel"/> reaches the customer at an address of theirs: email, sms and push do; a webhook and the in-app inbox always have one.</summary>
    public static bool NeedsAddress(Channel channel) => channel is Channel.Email or Channel.Sms or Channel.Push;

    /// <summary>
    /// Whether a message of <paramref name="category"/> on <paramref name="channel"/> is capped, and so counts toward the cap
    /// once sent: marketing email, sms and push, the messages that interrupt the customer.
    /// </summary>
    public static bool CountsTowardCap(Channel channel, MessageCategory category) =>
        category == MessageCategory.Marketing && channel is Channel.Email or Channel.Sms or Channel.Push;

    /// <summary>
    /// The end of the quiet hours <paramref name="now"/> falls in, or null outside them. A period starts at
    /// <see cref="QuietWindow.Start"/> (inclusive) on a local date and ends at <see cref="QuietWindow.End"/> (exclusive) on
    /// the same date, or the next when the window wraps midnight. Local times are placed as <c>until</c> places them
    /// (canvas.md): one that does not exist (DST gap) is the next valid instant, an ambiguous one (DST overlap) the first;
    /// so quiet hours that end in an overlap end at its first pass and the repeated hour is not quiet again.
    /// </summary>
    public static Instant? QuietUntil(QuietWindow quiet, Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(quiet);
        ArgumentNullException.ThrowIfNull(zone);
        if (quiet.Start == quiet.End || now < EarliestPlaceable || now > LatestPlaceable)
        {
            return null;
        }

        // A period that contains now started today or, wrapping midnight, yesterday (local dates).
        var today = now.InZone(zone).Date;
        foreach (var startDate in new[] { today.PlusDays(-1), today })
        {
            var start = Place(startDate + quiet.Start, zone);
            var end = Place((quiet.Start < quiet.End ? startDate : startDate.PlusDays(1)) + quiet.End, zone);
            if (start <= now && now < end)
            {
                return end;
            }
        }

        return null;
    }

    /// <summary>How many of <paramref name="sends"/> lie in the rolling window ending now: a send counts while less than <paramref name="window"/> has passed since.</summary>
    private static int SentWithin(IEnumerable<Instant> sends, Duration window, Instant now) => sends.Count(at => now - at < window);

    private static Instant Place(LocalDateTime local, DateTimeZone zone) => zone.ResolveLocal(local, WaitDue.GapToEndOverlapToFirst).ToInstant();
}

/// <summary>
/// What the sending rules read of a customer, filled in by the grain: the channels it unsubscribed from, the channels it
/// has an address on, the marketing messages counting toward the cap and the workspace's cap and quiet hours.
/// </summary>
/// <param name="Unsubscribed">Channels whose marketing the customer stopped.</param>
/// <param name="Addressed">Channels the customer has an address on (email: <c>traits.email</c>, sms: <c>traits.phone</c>, push: <c>traits.pushToken</c> else the last device token); webhook and in-app need none.</param>
/// <param name="MarketingSends">When the customer's recent capped messages (<see cref="SendingRules.CountsTowardCap"/>) were sent, or decided if their channel has not answered yet; older ones may be left out.</param>
/// <param name="FrequencyCap">The workspace's cap; null for none.</param>
/// <param name="QuietHours">The workspace's quiet hours; null for none.</param>
public sealed record DeliveryFacts(
    IReadOnlySet<Channel> Unsubscribed,
    IReadOnlySet<Channel> Addressed,
    IReadOnlyList<Instant> MarketingSends,
    SendCap? FrequencyCap,
    QuietWindow? QuietHours)
{
    /// <summary>No rule holds a message back: subscribed, reachable on every channel, no cap, no quiet hours.</summary>
    public static DeliveryFacts Unrestricted { get; } = new(
        ImmutableHashSet<Channel>.Empty, ImmutableHashSet.Create(Enum.GetValues<Channel>()), [], FrequencyCap: null, QuietHours: null);

    /// <summary>These facts with one more capped message sent at <paramref name="at"/> (a send decided earlier in the same step).</summary>
    public DeliveryFacts WithSend(Instant at) => this with { MarketingSends = [.. MarketingSends, at] };
}

/// <summary>At most <paramref name="Count"/> capped messages in any rolling <paramref name="Window"/>.</summary>
public sealed record SendCap(int Count, Duration Window);

/// <summary>Daily quiet hours from <paramref name="Start"/> to <paramref name="End"/>, local times; wraps midnight when End is before Start.</summary>
public sealed record QuietWindow(LocalTime Start, LocalTime End);

/// <summary>The reasons a sending rule gives, as the timeline and stats write them (api.md §2).</summary>
public static class SuppressionReasons
{
    public const string Unsubscribed = "unsubscribed";
    public const string NoAddress = "no_address";
    public const string FrequencyCap = "frequency_cap";

    /// <summary>Not a suppression that drops the message: it waits for quiet hours to end.</summary>
    public const string QuietHours = "quiet_hours";
}

/// <summary>What <see cref="SendingRules.Check"/> says about one send.</summary>
public abstract record SendVerdict;

/// <summary>No rule holds the message back.</summary>
public sealed record SendNow : SendVerdict
{
    public static SendNow Instance { get; } = new();

    private SendNow()
    {
    }
}

/// <summary>The message is not sent, for <paramref name="Reason"/> (one of <see cref="SuppressionReasons"/>); the run moves on.</summary>
public sealed record SuppressSend(string Reason) : SendVerdict;

/// <summary>Quiet hours: the run waits at the node until <paramref name="Until"/>, then the rules run again.</summary>
public sealed record DeferSend(Instant Until) : SendVerdict;
