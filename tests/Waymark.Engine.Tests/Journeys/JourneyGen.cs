using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using NodaTime;
using NodaTime.Text;
using Waymark.Definitions.Journeys;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>
/// Generated valid canvases (every node type; edges forward only except from wait and waitEvent nodes, so
/// every cycle waits; waits of every kind, past `until` instants included) and the customer inputs that
/// drive runs through them. Names and values come from small pools so events meet the nodes that await them.
/// </summary>
internal static class JourneyGen
{
    public static readonly string[] Events = ["a", "b", "c"];

    private const int MaxNodes = 12;

    private static readonly Gen<string> Event = Gen.OneOf(Events);

    private static readonly Gen<string> Duration =
        from n in Gen.Int[1, 72]
        from unit in Gen.OneOf("PT{0}M", "PT{0}H", "P{0}D")
        select string.Format(CultureInfo.InvariantCulture, unit, n);

    /// <summary>A timestamp some hours around <see cref="Canvas.T0"/>, or now and then text that is none.</summary>
    public static Gen<string> Timestamp { get; } = Gen.Frequency(
        (9, from hours in Gen.Int[-72, 240] from offset in Gen.OneOf(0, 8, -5)
            select OffsetDateTimePattern.ExtendedIso.Format((Journeys.Canvas.T0 + NodaTime.Duration.FromHours(hours)).WithOffset(Offset.FromHours(offset)))),
        (1, Gen.Const("soon")));

    private static Gen<JsonObject> Comparison =>
        from op in Gen.OneOf("gte", "lt", "eq")
        from value in Gen.Int[0, 9]
        select Object(("property", "n"), ("op", op), ("value", value));

    private static Gen<JsonObject> Condition => Gen.Frequency(
        (3, Comparison),
        (1, Gen.Const(() => Object(("tag", "vip")))),
        (1, Gen.Const(() => Object(("property", "n"), ("op", "eq"), ("value", Object(("path", "trigger.properties.n")))))));

    /// <summary>A canvas that validates, with its send nodes that have variants (for experiment decisions).</summary>
    public static Gen<JourneyDefinition> Canvas =>
        from nodes in Graph
        from exitWhen in ExitCriterion.Array[0, 2]
        from hasGoal in Gen.Bool
        from goalEvent in Event
        select Journeys.Canvas.Read(Object(
            ("name", "generated"),
            ("trigger", Object(("type", "event"), ("event", "go"))),
            ("entry", Object(("reentry", "always"))),
            ("exitWhen", new JsonArray([.. exitWhen])),
            ("goal", hasGoal ? Object(("event", goalEvent), ("within", "P2D")) : null),
            ("start", "n0"),
            ("nodes", new JsonArray([.. nodes]))).ToJsonString());

    private static Gen<JsonObject> ExitCriterion => Gen.Frequency(
        (3, from e in Event from filter in Comparison.Null(0.5) select Object(("event", e), ("where", filter))),
        (1, Gen.Const(() => Object(("segment", "loyal"), ("on", "exit")))));

    private static Gen<JsonObject[]> Graph =>
        from count in Gen.Int[1, MaxNodes]
        from nodes in Sequence(Enumerable.Range(0, count).Select(i => Node(i, count)))
        select Reachable(nodes);

    private static Gen<JsonObject> Node(int index, int count)
    {
        if (index == count - 1)
        {
            return Gen.Const(() => Object(("type", "exit")));
        }

        var forward = Gen.Int[index + 1, count - 1];
        var any = Gen.Int[0, count - 1];
        return Gen.Frequency(
            (3, from time in WaitTime from next in any select With(Object(("type", "wait"), ("next", next)), time)),
            (3, from e in Event from filter in Comparison.Null(0.6) from timeout in Duration from next in any from timeoutNext in any
                select Object(("type", "waitEvent"), ("event", e), ("where", filter), ("timeout", timeout), ("next", next), ("timeoutNext", timeoutNext))),
            (2, from condition in Condition from then in forward from otherwise in forward
                select Object(("type", "condition"), ("if", condition), ("then", then), ("else", otherwise))),
            (1, from first in Gen.Int[0, 100] from a in forward from b in forward
                select Object(("type", "split"), ("branches", new JsonArray(
                    Object(("name", "control"), ("weight", first), ("next", a)),
                    Object(("name", "treated"), ("weight", 100 - first), ("next", b)))))),
            (3, from content in SendContent from next in forward select With(Object(("type", "send"), ("channel", "inapp"), ("next", next)), content)),
            (1, from next in forward select Object(("type", "update"), ("setTraits", Object(("n", Object(("path", "event.properties.n"))))), ("addTags", new JsonArray("vip")), ("next", next))),
            (1, Gen.Const(() => Object(("type", "exit")))));
    }

    private static Gen<JsonObject> WaitTime => Gen.Frequency(
        (3, Duration.Select(d => Object(("duration", d)))),
        (1, Timestamp.Where(t => t != "soon").Select(at => Object(("until", at)))),
        (2, from root in Gen.OneOf("trigger.properties.at", "event.properties.at")
            from offset in Gen.OneOf("-P1D", "PT0S", "PT3H")
            from time in Gen.OneOf<string?>(null, "10:00", "02:30", "01:30")
            select Object(("until", Object(("property", root), ("offset", offset), ("atTimeOfDay", time))))));

    private static Gen<JsonObject> SendContent => Gen.Frequency(
        (2, Gen.Const(() => Object(("template", Template("plain"))))),
        (2, from first in Gen.Int[0, 100] from experiment in Gen.Int[1, 100].Nullable(0.5)
            select Object(
                ("variants", new JsonArray(
                    Object(("name", "x"), ("weight", first), ("template", Template("x"))),
                    Object(("name", "y"), ("weight", 100 - first), ("template", Template("y"))))),
                ("experiment", experiment is { } percent ? Object(("metric", "click"), ("testPercent", percent), ("duration", "PT1H")) : null))));

    private static JsonObject Template(string title) => Object(("title", title), ("body", "{{ event.properties.n }}"));

    private static Gen<List<T>> Sequence<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(() => new List<T>()), (list, gen) => from items in list from item in gen select (List<T>)[.. items, item]);

    private static readonly string[] EdgeFields = ["next", "timeoutNext", "then", "else"];

    private static IEnumerable<JsonObject> EdgeHolders(JsonObject node) =>
        node["branches"] is JsonArray branches ? branches.OfType<JsonObject>().Prepend(node) : [node];

    /// <summary>The nodes reachable from node 0, with ids <c>n{index}</c> in place of edge indexes.</summary>
    private static JsonObject[] Reachable(List<JsonObject> nodes)
    {
        var reached = new SortedSet<int> { 0 };
        var queue = new Queue<int>([0]);
        while (queue.TryDequeue(out var index))
        {
            foreach (var target in EdgeHolders(nodes[index]).SelectMany(h => EdgeFields.Where(h.ContainsKey).Select(f => h[f]!.GetValue<int>())))
            {
                if (reached.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }

        return [.. reached.Select(index =>
        {
            var node = (JsonObject)nodes[index].DeepClone();
            foreach (var holder in EdgeHolders(node))
            {
                foreach (var field in EdgeFields.Where(holder.ContainsKey))
                {
                    holder[field] = $"n{holder[field]!.GetValue<int>()}";
                }
            }

            node["id"] = $"n{index}";
            return node;
        })];
    }

    /// <summary>An object of the fields whose value is not null.</summary>
    private static JsonObject Object(params (string Name, JsonNode? Value)[] fields) =>
        new(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value)));

    private static JsonObject With(JsonObject target, JsonObject source)
    {
        foreach (var (name, value) in source.ToList())
        {
            source.Remove(name);
            target[name] = value;
        }

        return target;
    }
}
