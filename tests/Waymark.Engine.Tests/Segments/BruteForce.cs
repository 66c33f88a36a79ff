using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Tests.Segments;

/// <summary>
/// The example segments and RFM classes computed straight from the generated values in plain LINQ, written from
/// canvas.md and examples/segments.json, not from the evaluator.
/// </summary>
internal static class BruteForce
{
    private static readonly Duration Day = Duration.FromDays(1);

    /// <summary>Whether <paramref name="person"/>, in RFM class <paramref name="rfm"/>, is in example segment <paramref name="id"/>.</summary>
    public static bool IsIn(string id, Person person, Instant now, RfmClass? rfm) => id switch
    {
        "anti-aging-never-viewed-30plus" => person is { Age: >= 30, AgeAsText: false }
            && !Within(person, "page_viewed", now, 30).Any(e => e.Topic == "anti-aging"),
        "silver-cart-3" => person.Level == "silver"
            && person.LastSeen >= now - 7 * Day
            && Within(person, "product_added", now, 90).Count() > 3,
        "community-regulars" => person.Notes < 5 && person.Points > 100
            && Within(person, "community_viewed", now, 30).Select(e => e.At.InZone(DateTimeZoneProviders.Tzdb[person.Zone]).Date).Distinct().Count() is >= 8 and <= 10,
        "high-value-30d" => Within(person, "order_completed", now, 30).Where(e => e is { Amount: not null, AmountAsText: false }).Sum(e => e.Amount!.Value) > 1000,
        "loyal" => person.Events.Count(e => e.Name == "order_completed" && e.At <= now) > 3,
        "active-7d-no-purchase" => person.LastSeen >= now - 7 * Day && !Within(person, "order_completed", now, 30).Any(),
        "diamond-vip" => person.Level == "diamond",
        "important-value" => rfm == RfmClass.ImportantValue,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id),
    };

    /// <summary>The events of that name stamped in the last <paramref name="days"/> days, both ends included.</summary>
    public static IEnumerable<Activity> Within(Person person, string name, Instant now, int days) =>
        person.Events.Where(e => e.Name == name && e.At >= now - days * Day && e.At <= now);

    /// <summary>
    /// Each person's RFM class over orders in the last <paramref name="windowDays"/> days, against the population's
    /// means: the comparisons with the mean cross-multiplied in integers (whole seconds, cents), so exact.
    /// </summary>
    public static RfmClass?[] Rfm(IReadOnlyList<Person> people, Instant now, int windowDays)
    {
        var scores = people.Select(p => Within(p, "order_completed", now, windowDays).ToList())
            .Select(orders => orders.Count == 0 ? null : new
            {
                Last = (long)orders.Max(o => o.At.ToUnixTimeSeconds()),
                Frequency = (long)orders.Count,
                Cents = orders.Where(o => o is { Amount: not null, AmountAsText: false }).Sum(o => (long)(o.Amount!.Value * 100)),
            })
            .ToList();
        var scored = scores.Where(s => s is not null).ToList();
        long n = scored.Count, lastSum = scored.Sum(s => s!.Last), frequencySum = scored.Sum(s => s!.Frequency), centsSum = scored.Sum(s => s!.Cents);
        return scores.Select(s => s is null ? (RfmClass?)null : (s.Last * n > lastSum, s.Frequency * n > frequencySum, s.Cents * n > centsSum) switch
        {
            (true, true, true) => RfmClass.ImportantValue,
            (true, false, true) => RfmClass.ImportantDevelop,
            (false, true, true) => RfmClass.ImportantKeep,
            (false, false, true) => RfmClass.ImportantRetain,
            (true, true, false) => RfmClass.GeneralValue,
            (true, false, false) => RfmClass.GeneralDevelop,
            (false, true, false) => RfmClass.GeneralKeep,
            (false, false, false) => RfmClass.GeneralRetain,
        }).ToArray();
    }
}
