using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using Waymark.Definitions.Predicates;
using Waymark.Model.Time;

namespace Waymark.Definitions.Tests.Predicates;

/// <summary>A valid predicate written as JSON, with the model it must read into.</summary>
internal sealed record WrittenPredicate(JsonObject Json, Predicate Expected)
{
    public override string ToString() => Json.ToJsonString();
}

/// <summary>A measure of an event predicate as its field, its JSON and the model it must read into.</summary>
internal sealed record WrittenMeasure(string Field, JsonObject Json, EventMeasure Measure);

/// <summary>Generators of valid predicates (with their expected models) and of arbitrary JSON text.</summary>
internal static class PredicateGenerators
{
    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcxyz_ -é中"], 1, 6];

    private static readonly Gen<string> DottedName = Word.Array[1, 3].Select(parts => string.Join('.', parts));

    private static readonly ComparisonOperator[] Ordering =
        [ComparisonOperator.Gt, ComparisonOperator.Gte, ComparisonOperator.Lt, ComparisonOperator.Lte];

    private static readonly ComparisonOperator[] MeasureOperators =
        [ComparisonOperator.Eq, ComparisonOperator.Neq, .. Ordering, ComparisonOperator.In, ComparisonOperator.NotIn, ComparisonOperator.Between];

    /// <summary>
    /// Valid predicates nested up to <paramref name="depth"/> levels, using only what
    /// <paramref name="scope"/> allows (property, run paths) and the segments in <paramref name="segments"/>.
    /// </summary>
    public static Gen<WrittenPredicate> Valid(PredicateScope scope, IReadOnlyList<string> segments, int depth = 3)
    {
        var leaves = new List<Gen<WrittenPredicate>>
        {
            Gen.Select(DottedName, AnyComparison(scope), (name, c) => Written(With(new JsonObject { ["trait"] = name }, c.Json), new TraitPredicate(name, c.Comparison))),
            Word.Select(tag => Written(new JsonObject { ["tag"] = tag }, new TagPredicate(tag))),
            Gen.OneOf([.. segments]).Select(id => Written(new JsonObject { ["segment"] = id }, new SegmentPredicate(id))),
            LastSeen,
            Gen.Enum<RfmClass>().Select(rfm => Written(new JsonObject { ["rfm"] = PredicateNames.Of(rfm) }, new RfmPredicate(rfm))),
        };
        if (scope.AllowsProperty)
        {
            leaves.Add(Gen.Select(DottedName, AnyComparison(scope), (name, c) => Written(With(new JsonObject { ["property"] = name }, c.Json), new PropertyPredicate(name, c.Comparison))));
        }

        var leaf = Either([.. leaves]);
        if (depth <= 1)
        {
            return leaf;
        }

        var inner = Valid(scope, segments, depth - 1);
        var eventWhere = Valid(Inside(scope), segments, depth - 1);
        return Gen.Frequency(
            (4, leaf),
            (1, inner.Array[1, 3].Select(items => Written(new JsonObject { ["all"] = Nodes(items) }, new AllPredicate([.. items.Select(i => i.Expected)])))),
            (1, inner.Array[1, 3].Select(items => Written(new JsonObject { ["any"] = Nodes(items) }, new AnyPredicate([.. items.Select(i => i.Expected)])))),
            (1, inner.Select(negated => Written(new JsonObject { ["not"] = negated.Json }, new NotPredicate(negated.Expected)))),
            (2, Event(scope, eventWhere)));
    }

    /// <summary>
    /// Arbitrary JSON text up to <paramref name="depth"/> deep, its keys and strings drawn mostly from the
    /// predicate language (so readers get past the first check) and from awkward values: huge numbers,
    /// half surrogate pairs, month durations, empty strings.
    /// </summary>
    public static Gen<string> AnyJson(int depth)
    {
        var strings = Either(
            Gen.OneOf(
                "", "vip", "loyal", "a..b", "P7D", "-P7D", "P1M", "PT0S", "2027-05-20T20:00:00+08:00", "trigger.properties.x",
                "event.properties.", "customer.traits.x", "\\ud800", "\\udfff\\ud800", "important_value", "\\\"", "\\u0000"),
            Gen.OneOf([.. Enum.GetValues<ComparisonOperator>().Select(PredicateNames.Of)]),
            Word)
            .Select(text => $"\"{text}\"");
        var leaf = Either(
            strings,
            Gen.OneOf("null", "true", "false", "0", "-0", "-1", "1.5", "1e400", "-1e400", "1e-400", "123456789012345678901234567890123"),
            Gen.Int.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        if (depth <= 0)
        {
            return leaf;
        }

        var inner = AnyJson(depth - 1);
        var keys = Either(
            Gen.OneOf([.. PredicateNames.Forms, "op", "value", "where", "within", "count", "days", "sum", "path", "name", "description", "\\ud800"]),
            Word);
        return Gen.Frequency(
            (2, leaf),
            (1, inner.Array[0, 4].Select(items => $"[{string.Join(',', items)}]")),
            (3, Gen.Select(keys, inner).Array[0, 4].Select(fields => $"{{{string.Join(',', fields.Select(f => $"\"{f.Item1}\":{f.Item2}"))}}}")),
            // Long chains of one form reach the depth limit.
            (1, Gen.Select(Gen.OneOf("{\"not\":", "{\"event\":\"e\",\"where\":"), Gen.Int[20, 60], inner, (link, levels, bottom) =>
                string.Concat(Enumerable.Repeat(link, levels)) + bottom + new string('}', levels))));
    }

    private static PredicateScope Inside(PredicateScope scope) =>
        scope == PredicateScope.Segment ? PredicateScope.TriggerWhere : scope;

    private static Gen<WrittenPredicate> LastSeen { get; } = Either(
        Gen.Select(Gen.OneOf(Ordering), Duration(-100_000, 100_000), (op, d) =>
            Written(LastSeenJson(op, JsonValue.Create(IsoDuration.Format(d))), new LastSeenPredicate(new Comparison(op, new DurationLiteral(d))))),
        Gen.Select(Duration(-100_000, 0), Duration(0, 100_000), (low, high) =>
            Written(
                LastSeenJson(ComparisonOperator.Between, new JsonArray(IsoDuration.Format(low), IsoDuration.Format(high))),
                new LastSeenPredicate(new Comparison(ComparisonOperator.Between, new RangeOperand(new DurationLiteral(low), new DurationLiteral(high)))))));

    private static JsonObject LastSeenJson(ComparisonOperator op, JsonNode value) =>
        new() { ["lastSeen"] = new JsonObject { ["op"] = PredicateNames.Of(op), ["value"] = value } };

    private static Gen<TimeSpan> Duration(int minMinutes, int maxMinutes) => Gen.Int[minMinutes, maxMinutes].Select(m => TimeSpan.FromMinutes(m));

    private static Gen<WrittenPredicate> Event(PredicateScope scope, Gen<WrittenPredicate> where)
    {
        var wholeNumbers = Gen.Int[0, 50].Select(n => (decimal)n);
        var measure = Either(
            Gen.Const((WrittenMeasure?)null),
            MeasureComparison(wholeNumbers, scope).Select(c => (WrittenMeasure?)new WrittenMeasure("count", c.Json, new CountMeasure(c.Comparison))),
            MeasureComparison(wholeNumbers, scope).Select(c => (WrittenMeasure?)new WrittenMeasure("days", c.Json, new DaysMeasure(c.Comparison))),
            Gen.Select(DottedName, MeasureComparison(Gen.Int[-100_000, 100_000].Select(n => n / 100m), scope), (property, c) =>
                (WrittenMeasure?)new WrittenMeasure("sum", With(new JsonObject { ["property"] = property }, c.Json), new SumMeasure(property, c.Comparison))));
        var within = Either(Gen.Const((TimeSpan?)null), Duration(1, 1_000_000).Select(d => (TimeSpan?)d));
        var filter = Either(Gen.Const((WrittenPredicate?)null), where.Select(w => (WrittenPredicate?)w));
        return Gen.Select(Word, filter, within, measure, (name, w, span, m) =>
        {
            var json = new JsonObject { ["event"] = name };
            if (w is not null)
            {
                json["where"] = w.Json;
            }

            if (span is { } value)
            {
                json["within"] = IsoDuration.Format(value);
            }

            if (m is not null)
            {
                json[m.Field] = m.Json;
            }

            return Written(json, new EventPredicate(name, w?.Expected, span, m?.Measure ?? EventMeasure.AtLeastOnce));
        });
    }

    /// <summary>A comparison of a trait or property, whose type is unknown: any operator with an operand it can use.</summary>
    private static Gen<(JsonObject Json, Comparison Comparison)> AnyComparison(PredicateScope scope)
    {
        var text = Word.Select(t => (Node: (JsonNode)JsonValue.Create(t), Literal: (Literal)new TextLiteral(t)));
        var number = Gen.Int[-1_000_000, 1_000_000].Select(n => n / 1000m).Select(n => (Node: (JsonNode)JsonValue.Create(n), Literal: (Literal)new NumberLiteral(n)));
        var boolean = Gen.Bool.Select(b => (Node: (JsonNode)JsonValue.Create(b), Literal: (Literal)new BooleanLiteral(b)));
        var scalar = Either(text, number, boolean);
        var single = Either(scalar.Select(s => (s.Node, (Operand)s.Literal)), Path(scope));
        var ordered = Either(text, number).Select(s => (s.Node, (Operand)s.Literal));
        return Either(
            Gen.OneOf(ComparisonOperator.Exists, ComparisonOperator.NotExists).Select(op => (ComparisonJson(op, null), new Comparison(op, null))),
            Gen.Select(Gen.OneOf(ComparisonOperator.Eq, ComparisonOperator.Neq), single, (op, v) => (ComparisonJson(op, v.Node), new Comparison(op, v.Item2))),
            Gen.Select(Gen.OneOf(Ordering), Either(ordered, Path(scope)), (op, v) => (ComparisonJson(op, v.Node), new Comparison(op, v.Item2))),
            Either(text.Select(s => (s.Node, (Operand)s.Literal)), number.Select(s => (s.Node, (Operand)s.Literal)), Path(scope))
                .Select(v => (ComparisonJson(ComparisonOperator.Contains, v.Node), new Comparison(ComparisonOperator.Contains, v.Item2))),
            Either(text.Select(s => (s.Node, (Operand)s.Literal)), Path(scope))
                .Select(v => (ComparisonJson(ComparisonOperator.StartsWith, v.Node), new Comparison(ComparisonOperator.StartsWith, v.Item2))),
            Gen.Select(Gen.OneOf(ComparisonOperator.In, ComparisonOperator.NotIn), scalar.Array[1, 4], (op, items) =>
                (ComparisonJson(op, new JsonArray([.. items.Select(i => i.Node)])), new Comparison(op, new ListOperand([.. items.Select(i => i.Literal)])))),
            Either(
                    Gen.Select(number, number, (a, b) => (a, b, (a.Literal as NumberLiteral)!.Value <= (b.Literal as NumberLiteral)!.Value)),
                    Gen.Select(text, text, (a, b) => (a, b, string.CompareOrdinal((a.Literal as TextLiteral)!.Value, (b.Literal as TextLiteral)!.Value) <= 0)))
                .Select(r => r.Item3 ? (r.a, r.b) : (r.b, r.a))
                .Select(r => (ComparisonJson(ComparisonOperator.Between, new JsonArray(r.Item1.Node, r.Item2.Node)),
                    new Comparison(ComparisonOperator.Between, new RangeOperand(r.Item1.Literal, r.Item2.Literal)))));
    }

    /// <summary>A comparison of a count, day count or sum: numeric operators with numbers from <paramref name="values"/>, or a path.</summary>
    private static Gen<(JsonObject Json, Comparison Comparison)> MeasureComparison(Gen<decimal> values, PredicateScope scope)
    {
        var single = Either(values.Select(v => ((JsonNode)JsonValue.Create(v), (Operand)new NumberLiteral(v))), Path(scope));
        return Either(
            Gen.Select(Gen.OneOf([ComparisonOperator.Eq, ComparisonOperator.Neq, .. Ordering]), single, (op, v) => (ComparisonJson(op, v.Item1), new Comparison(op, v.Item2))),
            Gen.Select(Gen.OneOf(ComparisonOperator.In, ComparisonOperator.NotIn), values.Array[1, 3], (op, items) =>
                (ComparisonJson(op, new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))])), new Comparison(op, new ListOperand([.. items.Select(i => (Literal)new NumberLiteral(i))])))),
            Gen.Select(values, values, (a, b) => (Low: Math.Min(a, b), High: Math.Max(a, b))).Select(r =>
                (ComparisonJson(ComparisonOperator.Between, new JsonArray(r.Low, r.High)),
                    new Comparison(ComparisonOperator.Between, new RangeOperand(new NumberLiteral(r.Low), new NumberLiteral(r.High))))));
    }

    private static Gen<(JsonNode Node, Operand Operand)> Path(PredicateScope scope)
    {
        ValueRoot[] roots = scope.AllowsRunPaths ? Enum.GetValues<ValueRoot>() : [ValueRoot.CustomerTraits];
        return Gen.Select(Gen.OneOf(roots), DottedName, (root, name) => new ValuePath(root, name))
            .Select(path => ((JsonNode)new JsonObject { ["path"] = path.ToString() }, (Operand)new PathOperand(path)));
    }

    private static JsonObject ComparisonJson(ComparisonOperator op, JsonNode? value)
    {
        var json = new JsonObject { ["op"] = PredicateNames.Of(op) };
        if (value is not null)
        {
            json["value"] = value;
        }

        return json;
    }

    private static JsonObject With(JsonObject target, JsonObject fields)
    {
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            target[name] = value;
        }

        return target;
    }

    private static JsonArray Nodes(IEnumerable<WrittenPredicate> items) => [.. items.Select(i => (JsonNode)i.Json)];

    private static WrittenPredicate Written(JsonObject json, Predicate expected) => new(json, expected);

    // One of several generators; the explicit type argument keeps CsCheck from picking its one-of-constants overload.
    private static Gen<T> Either<T>(params Gen<T>[] gens) => Gen.OneOf<T>(gens);
}
