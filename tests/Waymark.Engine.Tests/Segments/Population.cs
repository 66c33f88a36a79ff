using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;
using Waymark.Engine.Tests.Predicates;

namespace Waymark.Engine.Tests.Segments;

/// <summary>One event of a generated customer, as plain values the brute-force checks read directly.</summary>
internal sealed record Activity(string Name, Instant At, string? Topic, decimal? Amount, bool AmountAsText);

/// <summary>
/// A generated customer of the example workspace, as plain values: the brute-force checks read these, the engine
/// reads the <see cref="CustomerFacts"/> made of them.
/// </summary>
internal sealed record Person(
    int? Age, bool AgeAsText, string? Level, int Notes, int Points, string Zone, string[] Tags, Instant? LastSeen, Activity[] Events)
{
    public CustomerFacts Facts(RfmClass? rfm)
    {
        var traits = new JsonObject
        {
            ["memberLevel"] = Level,
            ["notesPublished"] = Notes,
            ["points"] = Points,
        };
        if (Age is { } age)
        {
            traits["age"] = AgeAsText ? age.ToString(CultureInfo.InvariantCulture) : age;
        }

        return new CustomerFacts(
            Given.Json(traits.ToJsonString()),
            Tags.ToHashSet(StringComparer.Ordinal),
            new HashSet<string>(StringComparer.Ordinal),
            LastSeen,
            DateTimeZoneProviders.Tzdb[Zone],
            rfm,
            new EventHistory(Events.Select(ToEvent)));
    }

    private static CustomerEvent ToEvent(Activity a)
    {
        var properties = new JsonObject();
        if (a.Topic is { } topic)
        {
            properties["topic"] = topic;
        }

        if (a.Amount is { } amount)
        {
            properties["amount"] = a.AmountAsText ? amount.ToString(CultureInfo.InvariantCulture) : amount;
        }

        return Given.Event(a.Name, a.At, properties.ToJsonString());
    }
}

/// <summary>Customers with traits, tags and bursts of events over the last 120 days, at whole seconds.</summary>
internal static class Population
{
    private static readonly string[] EventNames = ["page_viewed", "product_added", "community_viewed", "order_completed"];

    // A burst: up to 16 events of one name spread over the last 8, 30 or 120 days, so windows see many and few.
    private static readonly Gen<Activity[]> Burst =
        Gen.Select(Gen.OneOf(EventNames), Gen.Int[1, 16], Gen.OneOf(8, 30, 120)).SelectMany(burst =>
            Gen.Select(Gen.Long[0, burst.Item3 * 86_400L], Gen.OneOf("anti-aging", "sunscreen"), Gen.Int[0, 60_000], Gen.Int[0, 9])
                .Select((secondsAgo, topic, cents, shape) => new Activity(
                    burst.Item1,
                    Given.Now - Duration.FromSeconds(secondsAgo),
                    burst.Item1 == "page_viewed" ? topic : null,
                    burst.Item1 == "order_completed" && shape != 0 ? cents / 100m : null, // 0: no amount
                    shape == 1))                                                          // 1: the amount as text
                .Array[burst.Item2]);

    public static Gen<Person> Person { get; } =
        Gen.Select(
            Gen.Select(Gen.Int[18, 60], Gen.Int[0, 9], Gen.OneOf<string?>(null, "silver", "gold", "diamond", "Silver")),
            Gen.Select(Gen.Int[0, 8], Gen.Int[50, 200], Gen.OneOf("UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Chatham")),
            Gen.OneOf("vip", "new").Array[0, 2],
            Burst.Array[0, 6],
            Gen.Select(Gen.Int[0, 4], Gen.Long[0, 20 * 86_400L]),
            (who, activity, tags, bursts, seen) =>
            {
                var events = bursts.SelectMany(b => b).ToArray();
                // Mostly the latest event, as ingestion keeps it; now and then unrelated to the history, or never seen.
                Instant? lastSeen = seen.Item1 switch
                {
                    0 => null,
                    1 => Given.Now - Duration.FromSeconds(seen.Item2),
                    _ => events.Length == 0 ? null : events.Max(e => e.At),
                };
                return new Person(
                    who.Item2 == 0 ? null : who.Item1, who.Item2 == 1, who.Item3,
                    activity.Item1, activity.Item2, activity.Item3, tags.Distinct().ToArray(), lastSeen, events);
            });
}
