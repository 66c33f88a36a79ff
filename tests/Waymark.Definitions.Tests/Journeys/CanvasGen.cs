using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using NodaTime;

namespace Waymark.Definitions.Tests.Journeys;

/// <summary>
/// Generates canvases that must validate: random graphs of every node type in which only wait and
/// waitEvent nodes have edges backwards (so every cycle waits), every node reachable from the start,
/// with valid splits, variants, experiments, predicates, durations and templates.
/// </summary>
internal static class CanvasGen
{
    private const int MaxNodes = 20;

    private static readonly string[] Events = ["order_completed", "page_viewed", "test_drive_booked", "app opened"];
    private static readonly string[] Names = ["score", "orderId", "plan", "first name", "a.b"];
    private static readonly string[] Tags = ["vip", "churn-risk", "new", "beta tester"];
    private static readonly string[] RunPathRoots = ["trigger.properties.", "event.properties.", "customer.traits."];
    private static readonly string[] Channels = ["webhook", "email", "sms", "push", "inapp"];
    private static readonly string[] EdgeFields = ["next", "timeoutNext", "then", "else"];

    private static readonly Gen<string> Event = Gen.OneOf(Events);

    // Gen.String may produce lone surrogates, which JSON text cannot carry.
    private static readonly Gen<string> Text = Gen.String[Gen.Char["abcXYZ 019-_.'\"\\é→{}"], 0, 20];
    private static readonly Gen<string> PropertyName = Gen.OneOf(Names);
    private static readonly Gen<string> Segment = Gen.OneOf([.. TestWorkspace.SegmentIds]);

    private static readonly Gen<string> Duration =
        from n in Gen.Int[1, 500]
        from unit in Gen.OneOf("PT{0}S", "PT{0}M", "PT{0}H", "P{0}D", "P{0}W", "PT{0}.5S", "P{0}DT1H")
        select string.Format(CultureInfo.InvariantCulture, unit, n);

    private static readonly Gen<string> SignedDuration =
        Gen.Frequency((3, Duration), (3, Duration.Select(d => "-" + d)), (1, Gen.Const("PT0S")));

    /// <summary>A canvas that validates against <see cref="TestWorkspace.Context"/>.</summary>
    public static Gen<JsonObject> ValidCanvas =>
        from hasGoal in Gen.Bool
        from nodes in Graph(hasGoal)
        from name in Gen.String[Gen.Char["abcXYZ 0-9→é'\""], 1, 60].Where(s => s.Trim().Length > 0)
        from description in Text.Select(s => (JsonNode)s).Null(0.5)
        from trigger in Trigger
        from entry in Entry.Null(0.5)
        from exitWhen in ExitCriterion.Array[0, 3]
        from goal in Goal
        select Canvas(name, description, trigger, entry, exitWhen, hasGoal ? goal : null, nodes);

    private static JsonObject Canvas(string name, JsonNode? description, JsonObject trigger, JsonObject? entry, JsonObject[] exitWhen, JsonObject? goal, (string Start, JsonObject[] Nodes) graph)
    {
        var canvas = new JsonObject { ["name"] = name, ["description"] = description, ["trigger"] = trigger };
        Add(canvas, "entry", entry);
        Add(canvas, "exitWhen", exitWhen.Length == 0 ? null : new JsonArray([.. exitWhen]));
        Add(canvas, "goal", goal);
        canvas["start"] = graph.Start;
        canvas["nodes"] = new JsonArray([.. graph.Nodes]);
        return canvas;
    }

    private static void Add(JsonObject target, string field, JsonNode? value)
    {
        if (value is not null)
        {
            target[field] = value;
        }
    }

    private static Gen<JsonObject> Trigger => Gen.Frequency(
        (3, from e in Event from filter in Predicate(PathRoots.TraitsOnly, 2).Null(0.5)
            select Object(("type", "event"), ("event", e), ("where", filter))),
        (2, from s in Segment from transition in Gen.OneOf("enter", "exit") from existing in Gen.Bool.Nullable(0.5)
            select Object(("type", "segment"), ("segment", s), ("on", transition), ("includeExisting", existing is null ? null : (JsonNode)existing.Value))),
        (1, from s in Segment from minutes in Gen.Int[1, 1_000_000]
            select Object(("type", "schedule"), ("segment", s), ("at", Timestamp(TestWorkspace.Now.Plus(NodaTime.Duration.FromMinutes(minutes)), 8)))),
        (1, from s in Segment from at in AnyTimestamp from every in Gen.Int[1, 10_000]
            select Object(("type", "schedule"), ("segment", s), ("at", at), ("every", $"PT{every}M"))),
        (1, Gen.Const(() => Object(("type", "api")))));

    private static Gen<JsonObject> Entry =>
        from reentry in Gen.OneOf("never", "after_exit", "always").Null(0.3)
        from cooldown in Duration.Null(0.5)
        from limit in Gen.Long[1, long.MaxValue].Nullable(0.5)
        select Object(("reentry", reentry), ("cooldown", cooldown), ("limit", limit is null ? null : (JsonNode)limit.Value));

    private static Gen<JsonObject> ExitCriterion => Gen.Frequency(
        (2, from e in Event from filter in Predicate(PathRoots.Run, 2).Null(0.5) select Object(("event", e), ("where", filter))),
        (1, Segment.Select(s => Object(("segment", s), ("on", "exit")))));

    private static Gen<JsonObject> Goal =>
        from e in Event
        from filter in Predicate(PathRoots.Run, 1).Null(0.7)
        from within in Duration
        select Object(("event", e), ("where", filter), ("within", within));

    private static Gen<string> AnyTimestamp =>
        from minutes in Gen.Int[-5_000_000, 5_000_000]
        from offsetHours in Gen.Int[-12, 14]
        select Timestamp(TestWorkspace.Now.Plus(NodaTime.Duration.FromMinutes(minutes)), offsetHours);

    private static string Timestamp(Instant at, int offsetHours) =>
        at.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(offsetHours)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private enum PathRoots
    {
        TraitsOnly,
        Run,
    }

    private static Gen<string> RunPath(PathRoots roots) =>
        from root in roots == PathRoots.Run ? Gen.OneOf(RunPathRoots) : Gen.Const("customer.traits.")
        from name in PropertyName
        select root + name;

    private static Gen<JsonObject> Comparison(PathRoots roots) => Gen.Frequency(
        (3, from op in Gen.OneOf("eq", "neq", "gt", "gte", "lt", "lte") from value in Gen.Int[-1000, 1000] select Object(("op", op), ("value", value))),
        (2, from op in Gen.OneOf("eq", "neq", "contains", "startsWith") from value in Gen.String[Gen.Char["abc-é "], 0, 8] select Object(("op", op), ("value", value))),
        (1, Gen.OneOf("exists", "notExists").Select(op => Object(("op", op)))),
        (1, from op in Gen.OneOf("in", "notIn") from values in Gen.OneOf("a", "b", "c").Array[1, 3] select Object(("op", op), ("value", new JsonArray([.. values.Select(v => (JsonNode)v)])))),
        (1, from low in Gen.Int[0, 100] from width in Gen.Int[0, 100] select Object(("op", "between"), ("value", new JsonArray(low, low + width)))),
        (1, RunPath(roots).Select(path => Object(("op", "eq"), ("value", Object(("path", path)))))));

    private static Gen<JsonObject> Predicate(PathRoots roots, int depth)
    {
        var leaf = Gen.Frequency(
            (3, from trait in PropertyName from comparison in Comparison(roots) select With(Object(("trait", trait)), comparison)),
            (3, from property in PropertyName from comparison in Comparison(roots) select With(Object(("property", property)), comparison)),
            (1, Gen.OneOf(Tags).Select(tag => Object(("tag", tag)))),
            (1, Segment.Select(segment => Object(("segment", segment)))),
            (1, from e in Event from within in Duration.Null(0.5) from count in Gen.Int[0, 5]
                select Object(("event", e), ("within", within), ("count", Object(("op", "gte"), ("value", count))))),
            (1, Gen.Const(() => Object(("lastSeen", Object(("op", "gte"), ("value", "-P7D")))))),
            (1, Gen.OneOf("important_value", "general_retain").Select(rfm => Object(("rfm", rfm)))));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Predicate(roots, depth - 1);
        return Gen.Frequency(
            (4, leaf),
            (1, inner.Array[1, 3].Select(ps => Object(("all", new JsonArray([.. ps]))))),
            (1, inner.Array[1, 3].Select(ps => Object(("any", new JsonArray([.. ps]))))),
            (1, inner.Select(p => Object(("not", p)))));
    }

    /// <summary>
    /// The nodes, with node 0 the start. Edges are generated as indexes, forward only except from wait
    /// and waitEvent nodes; nodes not reachable from node 0 are dropped; then ids replace the indexes
    /// and the nodes are shuffled.
    /// </summary>
    private static Gen<(string Start, JsonObject[] Nodes)> Graph(bool hasGoal) =>
        from count in Gen.Int[1, MaxNodes]
        from nodes in Sequence(Enumerable.Range(0, count).Select(i => Node(i, count, hasGoal)))
        from prefixes in Gen.String[Gen.Char["abcXYZ019-_"], 1, 8].Array[count]
        let kept = Reachable(nodes)
        from order in Gen.Shuffle(kept.ToArray())
        select Identify(nodes, order, i => $"{prefixes[i]}_{i}");

    private static Gen<JsonObject> Node(int index, int count, bool hasGoal)
    {
        if (index == count - 1)
        {
            return Gen.Const(() => Object(("type", "exit")));
        }

        var forward = Gen.Int[index + 1, count - 1];
        var any = Gen.Int[0, count - 1];
        return Gen.Frequency(
            (2, from time in WaitTime from next in any select With(Object(("type", "wait")), time, Object(("next", next)))),
            (2, from e in Event from filter in Predicate(PathRoots.Run, 2).Null(0.5) from timeout in Duration from next in any from timeoutNext in any
                select Object(("type", "waitEvent"), ("event", e), ("where", filter), ("timeout", timeout), ("next", next), ("timeoutNext", timeoutNext))),
            (2, from condition in Predicate(PathRoots.Run, 2) from then in forward from otherwise in forward
                select Object(("type", "condition"), ("if", condition), ("then", then), ("else", otherwise))),
            (2, from branches in Weighted((name, weight) => from next in forward select Object(("name", name), ("weight", weight), ("next", next)))
                select Object(("type", "split"), ("branches", branches))),
            (3, from send in Send(hasGoal) from next in forward select With(send, Object(("next", next)))),
            (2, from update in Update from next in forward select With(update, Object(("next", next)))),
            (1, Gen.Const(() => Object(("type", "exit")))));
    }

    private static Gen<JsonObject> WaitTime => Gen.Frequency(
        (2, Duration.Select(d => Object(("duration", d)))),
        (1, AnyTimestamp.Select(at => Object(("until", at)))),
        (2, from property in RunPath(PathRoots.Run)
            from offset in SignedDuration.Null(0.4)
            from time in Gen.Select(Gen.Int[0, 23], Gen.Int[0, 59]).Nullable(0.4)
            select Object(("until", Object(
                ("property", property),
                ("offset", offset),
                ("atTimeOfDay", time is { } t ? FormattableString.Invariant($"{t.Item1:00}:{t.Item2:00}") : null))))));

    private static Gen<JsonObject> Send(bool hasGoal) =>
        from channel in Gen.OneOf(Channels)
        from category in Gen.OneOf("marketing", "transactional").Null(0.5)
        from content in Gen.Frequency(
            (3, Gen.Const(() => Object(("template", Template(channel))))),
            (1, Gen.Const(() => StoredTemplate(channel))),
            (2, from variants in Weighted((name, weight) => Gen.Const(() => Object(("name", name), ("weight", weight), ("template", Template(channel)))))
                from experiment in Experiment(channel, hasGoal).Null(0.5)
                select Object(("variants", variants), ("experiment", experiment))))
        select With(Object(("type", "send"), ("channel", channel), ("category", category)), content);

    // Only email and sms have a stored template in the test workspace; the others fall back to inline.
    private static JsonObject StoredTemplate(string channel) => channel switch
    {
        "email" => Object(("templateId", "welcome-email")),
        "sms" => Object(("templateId", "promo-sms")),
        _ => Object(("template", Template(channel))),
    };

    private static JsonObject Template(string channel) => channel switch
    {
        "webhook" => Object(("payload", Object(("customerId", "{{ customer.id }}"), ("score", "{{ event.properties.score }}")))),
        "email" => Object(("subject", "Hi {{ customer.traits.name }}"), ("html", "<p>{{ \"https://shop.example\" | track }}</p>"), ("text", "Hello")),
        "sms" => Object(("text", "Order {{ trigger.properties.orderId }}")),
        _ => Object(("title", "{{ journey.name }}"), ("body", "{% if customer.traits.vip %}VIP{% endif %}")),
    };

    private static Gen<JsonObject> Experiment(string channel, bool hasGoal)
    {
        var metrics = new List<string> { "click" };
        if (channel == "email")
        {
            metrics.Add("open");
        }

        if (hasGoal)
        {
            metrics.Add("goal");
        }

        return from metric in Gen.OneOf([.. metrics])
               from percent in Gen.Int[1, 100]
               from duration in Duration
               select Object(("metric", metric), ("testPercent", percent), ("duration", duration));
    }

    private static Gen<JsonObject> Update =>
        from traits in Gen.Int[0, 3]
        from values in Gen.Frequency<JsonNode?>(
            (3, Gen.Int.Select(i => (JsonNode?)i)),
            (3, Text.Select(s => (JsonNode?)s)),
            (1, Gen.Bool.Select(b => (JsonNode?)b)),
            (1, Gen.Const(() => (JsonNode?)null)),
            (1, Gen.Const(() => (JsonNode?)new JsonArray(1, "two"))),
            (2, RunPath(PathRoots.Run).Select(p => (JsonNode?)Object(("path", p))))).Array[traits]
        from tags in Gen.Shuffle(Tags.ToArray())
        from tagsAdded in Gen.Int[0, 2]
        from removed in Gen.Int[0, 2]
        let added = traits + tagsAdded + removed == 0 ? 1 : tagsAdded
        let setTraits = new JsonObject(Names.Take(traits).Zip(values, KeyValuePair.Create<string, JsonNode?>))
        select Object(
            ("type", "update"),
            ("setTraits", traits == 0 ? null : (JsonNode)setTraits),
            ("addTags", added == 0 ? null : (JsonNode)Strings(tags.Take(added))),
            ("removeTags", removed == 0 ? null : (JsonNode)Strings(tags.Skip(added).Take(removed))));

    /// <summary>2 to 4 named items with weights of 0 to 100 adding up to 100.</summary>
    private static Gen<JsonArray> Weighted(Func<string, int, Gen<JsonObject>> item) =>
        from count in Gen.Int[2, 4]
        from cuts in Gen.Int[0, 100].Array[count - 1]
        from names in Gen.String[Gen.Char["abXY- é"], 1, 6].Array[count]
        let sorted = cuts.Order().Prepend(0).Append(100).ToArray()
        from items in Sequence(Enumerable.Range(0, count).Select(i => item($"{names[i]}{i}", sorted[i + 1] - sorted[i])))
        select new JsonArray([.. items]);

    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(() => new List<T>()), (list, gen) => from items in list from item in gen select (List<T>)[.. items, item]);

    private static IEnumerable<JsonObject> EdgeHolders(JsonObject node) =>
        node["branches"] is JsonArray branches ? branches.OfType<JsonObject>().Prepend(node) : [node];

    private static List<int> Reachable(List<JsonObject> nodes)
    {
        var reached = new SortedSet<int> { 0 };
        var queue = new Queue<int>([0]);
        while (queue.TryDequeue(out var index))
        {
            foreach (var holder in EdgeHolders(nodes[index]))
            {
                foreach (var field in EdgeFields.Where(holder.ContainsKey))
                {
                    var target = holder[field]!.GetValue<int>();
                    if (reached.Add(target))
                    {
                        queue.Enqueue(target);
                    }
                }
            }
        }

        return [.. reached];
    }

    private static (string Start, JsonObject[] Nodes) Identify(List<JsonObject> nodes, int[] order, Func<int, string> idOf)
    {
        var result = order.Select(index =>
        {
            var node = (JsonObject)nodes[index].DeepClone();
            foreach (var holder in EdgeHolders(node))
            {
                foreach (var field in EdgeFields.Where(holder.ContainsKey))
                {
                    holder[field] = idOf(holder[field]!.GetValue<int>());
                }
            }

            return With(Object(("id", idOf(index))), node);
        });
        return (idOf(0), [.. result]);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>An object of the fields whose value is not null (a null leaves the field out).</summary>
    private static JsonObject Object(params (string Name, JsonNode? Value)[] fields) =>
        new(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value)));

    private static JsonObject With(JsonObject target, params JsonObject[] sources)
    {
        foreach (var source in sources)
        {
            foreach (var (name, value) in source.ToList())
            {
                source.Remove(name);
                target[name] = value;
            }
        }

        return target;
    }
}
