using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Waymark.Model.Time;

namespace Waymark.Definitions.Validation;

/// <summary>
/// Reads the fields of one JSON object, reporting each problem at its path and remembering which fields
/// it read, so <see cref="RejectUnknownFields"/> can name every field the definition does not know.
/// A field set to <c>null</c> counts as absent.
/// </summary>
internal sealed class ObjectReader
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private ObjectReader(JsonElement element, string path, Problems problems)
    {
        Element = element;
        Path = path;
        Problems = problems;
    }

    public JsonElement Element { get; }

    public string Path { get; }

    public Problems Problems { get; }

    /// <summary>
    /// A reader over <paramref name="element"/>, or null (with a problem reported) when it is not an object.
    /// The document must have passed <see cref="UnreadableText.Check"/>, so every name and string reads.
    /// </summary>
    public static ObjectReader? Open(JsonElement element, string path, Problems problems)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return new ObjectReader(element, path, problems);
        }

        problems.Add(path, $"must be an object, not {Describe(element)}");
        return null;
    }

    public string PathOf(string name) => JsonPath.Property(Path, name);

    /// <summary>Whether the field is present and not null (does not mark it read).</summary>
    public bool Has(string name) => Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The field's value, marking it read; null when absent, reported when required.</summary>
    public JsonElement? Field(string name, bool required = false)
    {
        _read.Add(name);
        if (Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        if (required)
        {
            Problems.Add(PathOf(name), "is required");
        }

        return null;
    }

    /// <summary>A non-empty string field.</summary>
    public string? Text(string name, bool required = false)
    {
        var text = AnyText(name, required);
        if (text is { Length: 0 })
        {
            Problems.Add(PathOf(name), "must not be empty");
            return null;
        }

        return text;
    }

    /// <summary>An optional string field where an empty string is the same as none, as a designer clearing a description means.</summary>
    public string? OptionalText(string name) => AnyText(name) is { Length: > 0 } text ? text : null;

    /// <summary>A string field that must be one of <paramref name="allowed"/>.</summary>
    public string? OneOf(string name, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var text = Text(name, required);
        if (text is null || allowed.Contains(text))
        {
            return text;
        }

        Problems.Add(PathOf(name), $"must be one of {Quote(allowed)}, not '{text}'");
        return null;
    }

    public bool? Flag(string name)
    {
        if (Field(name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Problems.Add(PathOf(name), $"must be true or false, not {Describe(value)}");
        return null;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long? WholeNumber(string name, long min, long max, bool required = false)
    {
        if (Field(name, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            Problems.Add(PathOf(name), $"must be a whole number, not {Describe(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Problems.Add(PathOf(name), $"must be between {min} and {max}, not {number}");
            return null;
        }

        return number;
    }

    /// <summary>
    /// An ISO 8601 duration (canvas.md): positive unless <paramref name="allowNegative"/>; zero is refused
    /// unless <paramref name="allowZero"/>.
    /// </summary>
    public TimeSpan? Duration(string name, bool required = false, bool allowNegative = false, bool allowZero = false)
    {
        var text = Text(name, required);
        return text is null ? null : ReadDuration(text, PathOf(name), Problems, allowNegative, allowZero);
    }

    /// <summary>An instant written as an ISO 8601 timestamp with an offset (<c>2027-05-20T20:00:00+08:00</c> or <c>…Z</c>).</summary>
    public Instant? Timestamp(string name, bool required = false)
    {
        var text = Text(name, required);
        return text is null ? null : ReadTimestamp(text, PathOf(name), Problems);
    }

    /// <summary>An array field's items with their paths; reported when not an array, or empty and <paramref name="nonEmpty"/>.</summary>
    public IReadOnlyList<(JsonElement Item, string Path)>? Array(string name, bool required = false, bool nonEmpty = false)
    {
        if (Field(name, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Problems.Add(PathOf(name), $"must be an array, not {Describe(value)}");
            return null;
        }

        var path = PathOf(name);
        var items = value.EnumerateArray().Select((item, i) => (item, JsonPath.Index(path, i))).ToList();
        if (nonEmpty && items.Count == 0)
        {
            Problems.Add(path, "must not be empty");
            return null;
        }

        return items;
    }

    /// <summary>An object field, as a reader of its own.</summary>
    public ObjectReader? Nested(string name, bool required = false) =>
        Field(name, required) is { } value ? Open(value, PathOf(name), Problems) : null;

    /// <summary>Reports every field of the object that was never read.</summary>
    public void RejectUnknownFields()
    {
        foreach (var property in Element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                Problems.Add(PathOf(property.Name), $"is not a known field here{Suggestion(property.Name)}");
            }
        }
    }

    public static TimeSpan? ReadDuration(string text, string path, Problems problems, bool allowNegative = false, bool allowZero = false)
    {
        if (!IsoDuration.TryParse(text, out var duration, out var error))
        {
            problems.Add(path, error);
            return null;
        }

        if (duration < TimeSpan.Zero && !allowNegative)
        {
            problems.Add(path, "must not be negative");
            return null;
        }

        if (duration == TimeSpan.Zero && !allowZero)
        {
            problems.Add(path, "must be longer than zero");
            return null;
        }

        return duration;
    }

    public static Instant? ReadTimestamp(string text, string path, Problems problems)
    {
        var result = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (!result.Success)
        {
            problems.Add(path, "must be an ISO 8601 timestamp with an offset, such as '2027-05-20T20:00:00+08:00'");
            return null;
        }

        // In the year 9999 a negative offset carries the instant past NodaTime's range, which throws.
        if (result.Value.Year >= 9999)
        {
            problems.Add(path, "must be before the year 9999");
            return null;
        }

        return result.Value.ToInstant();
    }

    /// <summary>How a value reads in a message: "a number", "an array", "null".</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private string? AnyText(string name, bool required = false)
    {
        if (Field(name, required) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Problems.Add(PathOf(name), $"must be a string, not {Describe(value)}");
        return null;
    }

    // A near miss of a known field ("tempalte") is usually a typo worth pointing out.
    private string Suggestion(string name)
    {
        var match = _read.FirstOrDefault(known => Distance(known, name) <= 2 && !Has(known));
        return match is null ? "" : $"; did you mean '{match}'?";
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
