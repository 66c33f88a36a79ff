using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>
/// Generated customers, histories, runs and predicates drawn from small pools of names and values, so
/// predicates often meet the data they read, and hostile values (huge numbers, unpaired surrogates,
/// nesting, values built in code) turn up often.
/// </summary>
internal static class EvaluationGenerators
{
    private static readonly string[] Keys = ["a", "b", "amount"];

    private static readonly Gen<string> Name = Gen.OneOf("a", "b", "amount", "a.b", "a.b.a", "a.amount");

    private static readonly Gen<string> EventName = Gen.OneOf("e", "f");

    private static readonly Gen<string> Zone = Gen.OneOf("UTC", "Asia/Shanghai", "America/Los_Angeles", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham");

    private static readonly Gen<string> Text = Gen.OneOf("", "a", "ab", "b", "30", "vip", "2027-05-20T20:00:00+08:00", "2027-05-20T12:00:00Z", "2027-05-20");

    private static readonly Gen<decimal> Number = Either(
        Gen.OneOf(0m, 1m, 2m, 30m, -1.5m, 1000m, decimal.MaxValue, decimal.MinValue),
        Gen.Int[-5, 40].Select(n => (decimal)n));

    private static Gen<Literal> Literal { get; } = Either(
        Number.Select(n => (Literal)new NumberLiteral(n)),
        Text.Select(t => (Literal)new TextLiteral(t)),
        Gen.Bool.Select(b => (Literal)new BooleanLiteral(b)),
        Either(Gen.Int[-60 * 24 * 60, 60].Select(m => TimeSpan.FromMinutes(m)), Gen.OneOf(TimeSpan.MinValue, TimeSpan.MaxValue))
            .Select(d => (Literal)new DurationLiteral(d)));

    private static Gen<Operand> Path { get; } =
        Gen.Select(Gen.Enum<ValueRoot>(), Name, (root, name) => (Operand)new PathOperand(new ValuePath(root, name)));

    /// <summary>Any operator with, mostly, the operand shape it takes; sometimes any shape at all.</summary>
    private static Gen<Comparison> Comparison { get; } = Gen.Enum<ComparisonOperator>().SelectMany(op =>
    {
        Gen<Operand?> fitting = op switch
        {
            ComparisonOperator.Exists or ComparisonOperator.NotExists => Gen.Const((Operand?)null),
            ComparisonOperator.In or ComparisonOperator.NotIn => Literal.Array[1, 4].Select(items => (Operand?)new ListOperand([.. items])),
            ComparisonOperator.Between => Gen.Select(Literal, Literal, (low, high) => (Operand?)new RangeOperand(low, high)),
            _ => Either(Literal.Select(l => (Operand?)l), Path.Select(p => (Operand?)p)),
        };
        var any = Either(
            Gen.Const((Operand?)null),
            Literal.Select(l => (Operand?)l),
            Path.Select(p => (Operand?)p),
            Literal.Array[0, 2].Select(items => (Operand?)new ListOperand([.. items])),
            Gen.Select(Literal, Literal, (low, high) => (Operand?)new RangeOperand(low, high)));
        return Gen.Frequency((5, fitting), (1, any)).Select(operand => new Comparison(op, operand));
    });

    private static Gen<TimeSpan> Within { get; } = Either(
        Gen.Int[1, 60 * 24 * 90].Select(m => TimeSpan.FromMinutes(m)),
        Gen.OneOf(TimeSpan.MaxValue, TimeSpan.MinValue, TimeSpan.Zero, TimeSpan.FromDays(30)));

    private static Gen<EventMeasure> Measure { get; } = Either(
        Gen.Const(EventMeasure.AtLeastOnce),
        Comparison.Select(c => (EventMeasure)new CountMeasure(c)),
        Comparison.Select(c => (EventMeasure)new DaysMeasure(c)),
        Gen.Select(Name, Comparison, (name, c) => (EventMeasure)new SumMeasure(name, c)));

    /// <summary>JSON text of a value: scalars from the pools and hostile ones, arrays and objects up to <paramref name="depth"/>.</summary>
    private static Gen<string> JsonText(int depth)
    {
        var scalar = Either(
            Gen.OneOf("null", "true", "false", "1e400", "-1e400", "1e-400", "123456789012345678901234567890123", "\"\\ud800\"", "-0"),
            Text.Select(t => JsonValue.Create(t).ToJsonString()),
            Number.Select(n => n.ToString(CultureInfo.InvariantCulture)));
        if (depth <= 0)
        {
            return scalar;
        }

        var inner = JsonText(depth - 1);
        return Gen.Frequency(
            (4, scalar),
            (1, inner.Array[0, 3].Select(items => $"[{string.Join(',', items)}]")),
            (2, ObjectText(inner)));
    }

    private static Gen<string> ObjectText(Gen<string> values) =>
        Gen.Select(Gen.OneOf(Keys), values).Array[0, 3].Select(fields => $"{{{string.Join(',', fields.DistinctBy(f => f.Item1).Select(f => $"\"{f.Item1}\":{f.Item2}"))}}}");

    /// <summary>A JSON object as parsed JSON, or now and then with values built in code (as an update node might).</summary>
    private static Gen<JsonObject> Object { get; } = Either(
        ObjectText(JsonText(2)).Select(Given.Json),
        Gen.Select(Gen.Int[-5, 40], Text, Gen.OneOf(double.NaN, double.PositiveInfinity, 1e300, 2.5), (n, t, d) =>
            new JsonObject { ["a"] = n, ["b"] = t, ["amount"] = d }));

    private static Gen<Instant> Around(int minutesBefore, int minutesAfter) =>
        Gen.Int[-minutesAfter, minutesBefore].Select(m => Given.Now - Duration.FromMinutes(m));

    private static Gen<CustomerEvent> Event { get; } =
        Gen.Select(EventName, Around(60 * 24 * 60, 60 * 24), Object, (name, at, properties) => new CustomerEvent(name, at, properties));

    public static Gen<Scenario> Scenario { get; } =
        Gen.Select(
            Object,
            Gen.Select(Gen.OneOf("vip", "new").Array[0, 2], Gen.OneOf(Given.KnownSegments).Array[0, 2]),
            Gen.Select(OptionalValue(Around(60 * 24 * 60, 60)), Zone, OptionalValue(Gen.Enum<RfmClass>())),
            Event.Array[0, 10],
            Optional(Event),
            Gen.Select(Optional(Object), Optional(Object)),
            (traits, sets, seen, history, current, run) => new Scenario
            {
                Traits = traits,
                Tags = sets.Item1,
                Segments = sets.Item2,
                LastSeen = seen.Item1,
                TimeZone = seen.Item2,
                Rfm = seen.Item3,
                History = history,
                Current = current,
                Trigger = run.Item1,
                RunEvent = run.Item2,
            });

    /// <summary>Predicates nested up to <paramref name="depth"/>, including operand shapes the reader would refuse.</summary>
    public static Gen<Predicate> Predicate(int depth)
    {
        var leaf = Either(
            Gen.Select(Name, Comparison, (name, c) => (Predicate)new TraitPredicate(name, c)),
            Gen.Select(Name, Comparison, (name, c) => (Predicate)new PropertyPredicate(name, c)),
            Gen.OneOf("vip", "new").Select(tag => (Predicate)new TagPredicate(tag)),
            Gen.OneOf(Given.KnownSegments).Select(id => (Predicate)new SegmentPredicate(id)),
            Gen.Enum<RfmClass>().Select(rfm => (Predicate)new RfmPredicate(rfm)),
            Comparison.Select(c => (Predicate)new LastSeenPredicate(c)),
            Events(Gen.Const((Predicate?)null)));
        if (depth <= 1)
        {
            return leaf;
        }

        var inner = Predicate(depth - 1);
        return Gen.Frequency(
            (4, leaf),
            (1, inner.Array[1, 3].Select(items => (Predicate)new AllPredicate([.. items]))),
            (1, inner.Array[1, 3].Select(items => (Predicate)new AnyPredicate([.. items]))),
            (1, inner.Select(p => (Predicate)new NotPredicate(p))),
            (2, Events(Optional(inner))));
    }

    private static Gen<Predicate> Events(Gen<Predicate?> where) =>
        Gen.Select(EventName, where, OptionalValue(Within), Measure, (name, w, within, measure) => (Predicate)new EventPredicate(name, w, within, measure));

    private static Gen<T?> Optional<T>(Gen<T> gen) where T : class =>
        Gen.Frequency((1, Gen.Const((T?)null)), (3, gen.Select(value => (T?)value)));

    private static Gen<T?> OptionalValue<T>(Gen<T> gen) where T : struct =>
        Gen.Frequency((1, Gen.Const((T?)null)), (3, gen.Select(value => (T?)value)));

    // One of several generators; the explicit type argument keeps CsCheck from picking its one-of-constants overload.
    private static Gen<T> Either<T>(params Gen<T>[] gens) => Gen.OneOf<T>(gens);
}
