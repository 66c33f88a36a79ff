using System.Text.Json.Nodes;

namespace Waymark.Gateway.Tests.Segments;

/// <summary>
/// Customers with traits and a history of events over the last 120 days, and the example segments of
/// <c>segments.json</c> read by hand over that data (plain LINQ, not the predicate evaluator): the brute force the
/// runtime's memberships are checked against. Times avoid the windows' edges by whole minutes.
/// </summary>
internal static class Generated
{
    /// <summary>Each example segment's rule, by its id, over a customer's data at a time (the RFM segment is left out: its means are the workspace's).</summary>
    public static readonly IReadOnlyDictionary<string, Func<Customer, DateTimeOffset, bool>> Rules = new Dictionary<string, Func<Customer, DateTimeOffset, bool>>
    {
        ["anti-aging-never-viewed-30plus"] = (c, now) => c.Age >= 30 && !c.Within("page_viewed", now, 30).Any(e => e.Topic == "anti-aging"),
        ["silver-cart-3"] = (c, now) => c.Level == "silver" && c.LastSeen >= now.AddDays(-7) && c.Within("product_added", now, 90).Count() > 3,
        ["community-regulars"] = (c, now) => c.Notes < 5 && c.Points > 100
            && c.Within("community_viewed", now, 30).Select(e => e.At.UtcDateTime.Date).Distinct().Count() is >= 8 and <= 10,
        ["high-value-30d"] = (c, now) => c.Within("order_completed", now, 30).Sum(e => e.Amount) > 1000,
        ["loyal"] = (c, _) => c.Events.Count(e => e.Name == "order_completed") > 3,
        ["active-7d-no-purchase"] = (c, now) => c.LastSeen >= now.AddDays(-7) && !c.Within("order_completed", now, 30).Any(),
        ["diamond-vip"] = (c, _) => c.Level == "diamond",
    };

    public static List<Customer> Customers(Random random, int count, DateTimeOffset now)
    {
        string[] levels = ["silver", "gold", "diamond", "silver"];
        string[] topics = ["anti-aging", "skincare", "diet"];
        return [.. Enumerable.Range(1, count).Select(i =>
        {
            var events = new List<Event>();
            void Add(string name, int howMany, int withinDays, Func<Event, Event>? shape = null)
            {
                for (var n = 0; n < howMany; n++)
                {
                    var at = now.AddMinutes(-random.Next(10, withinDays * 24 * 60));
                    var e = new Event(name, at, null, 0);
                    events.Add(shape is null ? e : shape(e));
                }
            }

            Add("page_viewed", random.Next(0, 4), 60, e => e with { Topic = topics[random.Next(topics.Length)] });
            Add("product_added", random.Next(0, 7), 120);
            Add("community_viewed", random.Next(0, 14), 35);
            Add("order_completed", random.Next(0, 6), 120, e => e with { Amount = random.Next(50, 900) });
            var identifiedAt = now.AddDays(-random.Next(1, 20)).AddMinutes(-random.Next(1, 600));
            return new Customer($"g-{i:000}", random.Next(18, 60), levels[random.Next(levels.Length)], random.Next(0, 9), random.Next(0, 300), identifiedAt, events);
        })];
    }

    public sealed record Event(string Name, DateTimeOffset At, string? Topic, int Amount);

    public sealed record Customer(string Id, int Age, string Level, int Notes, int Points, DateTimeOffset IdentifiedAt, List<Event> Events)
    {
        /// <summary>The latest call's time: the identify or an event.</summary>
        public DateTimeOffset LastSeen => Events.Select(e => e.At).Append(IdentifiedAt).Max();

        public IEnumerable<Event> Within(string name, DateTimeOffset now, int days) => Events.Where(e => e.Name == name && e.At > now.AddDays(-days));

        /// <summary>The customer as one Segment batch: an identify with its traits, then every event at its time.</summary>
        public JsonObject Batch() => new()
        {
            ["batch"] = new JsonArray([
                new JsonObject
                {
                    ["type"] = "identify", ["userId"] = Id, ["timestamp"] = IdentifiedAt,
                    ["traits"] = new JsonObject { ["age"] = Age, ["memberLevel"] = Level, ["notesPublished"] = Notes, ["points"] = Points },
                },
                .. Events.Select(e => (JsonNode)new JsonObject
                {
                    ["type"] = "track", ["userId"] = Id, ["event"] = e.Name, ["timestamp"] = e.At,
                    ["properties"] = e.Name switch
                    {
                        "page_viewed" => new JsonObject { ["topic"] = e.Topic },
                        "order_completed" => new JsonObject { ["amount"] = e.Amount },
                        _ => new JsonObject(),
                    },
                }),
            ]),
        };
    }
}
