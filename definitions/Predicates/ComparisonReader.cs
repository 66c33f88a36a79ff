using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Predicates;

/// <summary>
/// Reads the <c>op</c> and <c>value</c> of a comparison, checking that the value has the shape the
/// operator needs and, where the compared value's type is known, the same type.
/// </summary>
internal static class ComparisonReader
{
    private const int ShownLength = 40;

    /// <summary>The comparison in <paramref name="reader"/>'s object, or null with its problems reported.</summary>
    public static Comparison? Read(ObjectReader reader, ComparedValue compared, PredicateScope scope)
    {
        var op = ReadOperator(reader, compared);
        var value = reader.Field("value");
        if (op is not { } known)
        {
            return null;
        }

        var problems = reader.Problems;
        var path = reader.PathOf("value");
        var name = PredicateNames.Of(known);
        if (known is ComparisonOperator.Exists or ComparisonOperator.NotExists)
        {
            if (value is null)
            {
                return new Comparison(known, null);
            }

            problems.Add(path, $"must be left out: '{name}' takes no value");
            return null;
        }

        if (value is not { } given)
        {
            problems.Add(path, $"is required: '{name}' compares with a value");
            return null;
        }

        Operand? operand = known switch
        {
            ComparisonOperator.In or ComparisonOperator.NotIn => ReadList(given, path, known, compared, problems),
            ComparisonOperator.Between => ReadRange(given, path, compared, problems),
            _ => ReadSingle(given, path, known, compared, scope, problems),
        };
        return operand is null ? null : new Comparison(known, operand);
    }

    private static ComparisonOperator? ReadOperator(ObjectReader reader, ComparedValue compared)
    {
        if (reader.Text("op", required: true) is not { } text)
        {
            return null;
        }

        var allowed = ObjectReader.Quote(compared.Operators.Select(PredicateNames.Of));
        if (!PredicateNames.TryParseOperator(text, out var op))
        {
            reader.Problems.Add(reader.PathOf("op"), $"must be one of {allowed}, not '{text}'");
            return null;
        }

        if (!compared.Operators.Contains(op))
        {
            reader.Problems.Add(reader.PathOf("op"), $"'{text}' does not apply to {compared.Name}: use one of {allowed}");
            return null;
        }

        return op;
    }

    private static Operand? ReadSingle(
        JsonElement value, string path, ComparisonOperator op, ComparedValue compared, PredicateScope scope, Problems problems)
    {
        if (value.ValueKind == JsonValueKind.Object && compared.Kind != ComparedKind.Time)
        {
            if (ObjectReader.Open(value, path, problems) is not { } reader)
            {
                return null;
            }

            if (reader.Has("path"))
            {
                return ReadPath(reader, scope);
            }

            if (compared.Kind == ComparedKind.Unknown)
            {
                problems.Add(path, "must be a string, a number, true or false, or { \"path\": … }, not an object without 'path'");
                return null;
            }
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var hint = op switch
            {
                ComparisonOperator.Eq => "; use 'in' for a list",
                ComparisonOperator.Neq => "; use 'notIn' for a list",
                _ => "",
            };
            problems.Add(path, $"'{PredicateNames.Of(op)}' compares with one value, not an array{hint}");
            return null;
        }

        return ReadLiteral(value, path, op, compared, problems);
    }

    private static PathOperand? ReadPath(ObjectReader reader, PredicateScope scope)
    {
        var text = reader.Text("path", required: true);
        var valuePath = text is null ? null : ValuePath.Read(text, reader.PathOf("path"), reader.Problems, scope.AllowsRunPaths);
        reader.RejectUnknownFields();
        return valuePath is null ? null : new PathOperand(valuePath);
    }

    private static ListOperand? ReadList(JsonElement value, string path, ComparisonOperator op, ComparedValue compared, Problems problems)
    {
        var name = PredicateNames.Of(op);
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(path, $"'{name}' takes a list of values such as [\"a\", \"b\"], not {ObjectReader.Describe(value)}");
            return null;
        }

        var items = value.EnumerateArray()
            .Select((item, i) => ReadLiteral(item, JsonPath.Index(path, i), op, compared, problems))
            .ToList();
        if (items.Count == 0)
        {
            problems.Add(path, $"'{name}' needs at least one value");
            return null;
        }

        return items.Contains(null) ? null : new ListOperand(new EquatableArray<Literal>(items.OfType<Literal>()));
    }

    private static RangeOperand? ReadRange(JsonElement value, string path, ComparedValue compared, Problems problems)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(path, $"'between' takes [low, high], not {ObjectReader.Describe(value)}");
            return null;
        }

        var length = value.GetArrayLength();
        if (length != 2)
        {
            problems.Add(path, $"'between' takes [low, high]: two values, not {length}");
            return null;
        }

        var low = ReadLiteral(value[0], JsonPath.Index(path, 0), ComparisonOperator.Between, compared, problems);
        var high = ReadLiteral(value[1], JsonPath.Index(path, 1), ComparisonOperator.Between, compared, problems);
        if (low is null || high is null)
        {
            return null;
        }

        if (low.GetType() != high.GetType())
        {
            problems.Add(path, $"'between' needs two values of one type, not {ObjectReader.Describe(value[0])} and {ObjectReader.Describe(value[1])}");
            return null;
        }

        if (Compare(low, high) > 0)
        {
            problems.Add(path, $"'between' takes [low, high] with low ≤ high, not [{Shown(value[0])}, {Shown(value[1])}]");
            return null;
        }

        return new RangeOperand(low, high);
    }

    private static Literal? ReadLiteral(JsonElement value, string path, ComparisonOperator op, ComparedValue compared, Problems problems) =>
        compared.Kind switch
        {
            ComparedKind.Time => ReadDuration(value, path, compared, problems),
            ComparedKind.WholeNumber or ComparedKind.Number => ReadMeasure(value, path, compared, problems),
            _ => ReadAnyLiteral(value, path, op, problems),
        };

    private static DurationLiteral? ReadDuration(JsonElement value, string path, ComparedValue compared, Problems problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(path, Clash(compared, "a duration such as '-P7D'", value));
            return null;
        }

        return ObjectReader.ReadDuration(value.GetString()!, path, problems, allowNegative: true, allowZero: true) is { } duration
            ? new DurationLiteral(duration)
            : null;
    }

    private static NumberLiteral? ReadMeasure(JsonElement value, string path, ComparedValue compared, Problems problems)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            problems.Add(path, Clash(compared, "a number", value));
            return null;
        }

        if (ReadNumber(value, path, problems) is not { } number)
        {
            return null;
        }

        if (compared.Kind == ComparedKind.WholeNumber && (number < 0 || number != decimal.Truncate(number)))
        {
            problems.Add(path, $"{compared.Name} is a whole number of 0 or more, not {Shown(value)}");
            return null;
        }

        return new NumberLiteral(number);
    }

    // A trait or event property may hold anything, so only the operator constrains the literal.
    private static Literal? ReadAnyLiteral(JsonElement value, string path, ComparisonOperator op, Problems problems)
    {
        var name = PredicateNames.Of(op);
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return new TextLiteral(value.GetString()!);
            case JsonValueKind.Number when op == ComparisonOperator.StartsWith:
                problems.Add(path, "'startsWith' takes text, not a number");
                return null;
            case JsonValueKind.Number:
                return ReadNumber(value, path, problems) is { } number ? new NumberLiteral(number) : null;
            case JsonValueKind.True or JsonValueKind.False when IsOrdering(op):
                problems.Add(path, $"'{name}' orders numbers, text or timestamps, not a boolean");
                return null;
            case JsonValueKind.True or JsonValueKind.False when op == ComparisonOperator.Contains:
                problems.Add(path, "'contains' takes text or a number, not a boolean");
                return null;
            case JsonValueKind.True or JsonValueKind.False when op == ComparisonOperator.StartsWith:
                problems.Add(path, "'startsWith' takes text, not a boolean");
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                return new BooleanLiteral(value.GetBoolean());
            default:
                problems.Add(path, $"must be a string, a number, true or false, not {ObjectReader.Describe(value)}");
                return null;
        }
    }

    private static bool IsOrdering(ComparisonOperator op) =>
        op is ComparisonOperator.Gt or ComparisonOperator.Gte or ComparisonOperator.Lt or ComparisonOperator.Lte or ComparisonOperator.Between;

    private static decimal? ReadNumber(JsonElement value, string path, Problems problems)
    {
        if (value.TryGetDecimal(out var number))
        {
            return number;
        }

        problems.Add(path, $"is out of range: {Shown(value)} is too large a number");
        return null;
    }

    // Orders the two ends of a range of one literal type; text reads as instants when both ends are timestamps.
    private static int Compare(Literal low, Literal high) => (low, high) switch
    {
        (NumberLiteral a, NumberLiteral b) => a.Value.CompareTo(b.Value),
        (DurationLiteral a, DurationLiteral b) => a.Value.CompareTo(b.Value),
        (TextLiteral a, TextLiteral b) when Timestamp(a.Value) is { } x && Timestamp(b.Value) is { } y => x.CompareTo(y),
        (TextLiteral a, TextLiteral b) => string.CompareOrdinal(a.Value, b.Value),
        _ => 0,
    };

    private static Instant? Timestamp(string text) =>
        OffsetDateTimePattern.ExtendedIso.Parse(text) is { Success: true } result ? result.Value.ToInstant() : null;

    // "count is a number; 'x' is a string": the type clash spelled out with the offending value.
    private static string Clash(ComparedValue compared, string expected, JsonElement value) =>
        value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? $"{compared.Name} is {expected}; {Shown(value)} is {ObjectReader.Describe(value)}"
            : $"{compared.Name} is {expected}, not {ObjectReader.Describe(value)}";

    // A scalar as a designer wrote it, strings in single quotes, cut short so a huge value cannot flood the message.
    private static string Shown(JsonElement value)
    {
        var raw = value.GetRawText();
        var text = value.ValueKind == JsonValueKind.String ? raw[1..^1] : raw;
        var shown = text.Length > ShownLength ? text[..ShownLength] + "…" : text;
        return value.ValueKind == JsonValueKind.String ? $"'{shown}'" : shown;
    }
}
