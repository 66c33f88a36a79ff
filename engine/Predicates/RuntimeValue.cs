using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace Waymark.Engine.Predicates;

/// <summary>What a value is to a comparison.</summary>
internal enum RuntimeKind
{
    /// <summary>Absent, JSON null, or text that cannot be read (an unpaired surrogate).</summary>
    Missing,
    Number,
    Text,
    Boolean,
    Instant,
    Array,
    Object,
}

/// <summary>
/// One side of a comparison, read once from JSON, a literal or a measure: a struct, so reading numbers,
/// booleans and instants allocates nothing (text read from JSON is a new string).
/// A number is an exact decimal, or a double when it is too large for decimal. Text remembers the
/// instant it spells when it is an ISO 8601 timestamp with offset, so it can be compared as one.
/// </summary>
internal readonly struct RuntimeValue
{
    private static readonly OffsetDateTimePattern TimestampPattern = OffsetDateTimePattern.ExtendedIso;

    private RuntimeValue(RuntimeKind kind, decimal exact = 0, double approximate = 0, bool isExact = true,
        string? text = null, bool boolean = false, Instant? instant = null, JsonNode? node = null)
    {
        Kind = kind;
        Exact = exact;
        Approximate = approximate;
        IsExact = isExact;
        Text = text;
        Boolean = boolean;
        Instant = instant;
        Node = node;
    }

    public static RuntimeValue Missing => default;

    public RuntimeKind Kind { get; }

    public bool IsPresent => Kind != RuntimeKind.Missing;

    /// <summary>The number, when <see cref="IsExact"/>.</summary>
    public decimal Exact { get; }

    /// <summary>The number, when it is too large for decimal.</summary>
    public double Approximate { get; }

    public bool IsExact { get; }

    public string? Text { get; }

    public bool Boolean { get; }

    /// <summary>The instant of an <see cref="RuntimeKind.Instant"/>, or the timestamp a text spells.</summary>
    public Instant? Instant { get; }

    /// <summary>The <see cref="JsonArray"/> or <see cref="JsonObject"/>.</summary>
    public JsonNode? Node { get; }

    /// <summary>The number as a double, for comparing with one too large for decimal.</summary>
    public double AsDouble => IsExact ? (double)Exact : Approximate;

    public static RuntimeValue Of(decimal number) => new(RuntimeKind.Number, exact: number);

    public static RuntimeValue Of(double number) => new(RuntimeKind.Number, approximate: number, isExact: false);

    public static RuntimeValue Of(bool boolean) => new(RuntimeKind.Boolean, boolean: boolean);

    public static RuntimeValue Of(Instant instant) => new(RuntimeKind.Instant, instant: instant);

    public static RuntimeValue Of(string text) => new(RuntimeKind.Text, text: text, instant: Timestamp(text));

    /// <summary>The value at <paramref name="name"/> in <paramref name="root"/>, each dot reaching one object deeper.</summary>
    public static RuntimeValue At(JsonObject? root, string name)
    {
        var current = root;
        var start = 0;
        while (current is not null)
        {
            var dot = name.IndexOf('.', start);
            var part = dot < 0 ? (start == 0 ? name : name[start..]) : name[start..dot];
            if (!current.TryGetPropertyValue(part, out var node))
            {
                return Missing;
            }

            if (dot < 0)
            {
                return Of(node);
            }

            current = node as JsonObject;
            start = dot + 1;
        }

        return Missing;
    }

    public static RuntimeValue Of(JsonNode? node) => node switch
    {
        JsonObject => new(RuntimeKind.Object, node: node),
        JsonArray => new(RuntimeKind.Array, node: node),
        JsonValue value when value.TryGetValue(out JsonElement element) => Of(element),
        JsonValue value => OfBuilt(value),
        _ => Missing,
    };

    private static RuntimeValue Of(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetDecimal(out var exact):
                return Of(exact);
            case JsonValueKind.Number:
                // Beyond double's range reads as ±infinity, which still orders correctly.
                return element.TryGetDouble(out var approximate) ? Of(approximate) : Missing;
            case JsonValueKind.String:
                return ReadText(element) is { } text ? Of(text) : Missing;
            case JsonValueKind.True or JsonValueKind.False:
                return Of(element.GetBoolean());
            case JsonValueKind.Array:
                return new(RuntimeKind.Array, node: JsonArray.Create(element));
            case JsonValueKind.Object:
                return new(RuntimeKind.Object, node: JsonObject.Create(element));
            default:
                return Missing;
        }
    }

    // Parsed JSON wraps a JsonElement; a value built in code (JsonValue.Create(35)) is read back through its
    // JSON text, and one with no JSON text (a NaN) is missing.
    private static RuntimeValue OfBuilt(JsonValue value)
    {
        try
        {
            return Of(JsonElement.Parse(value.ToJsonString()));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or JsonException)
        {
            return Missing;
        }
    }

    private static string? ReadText(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // an unpaired surrogate: no text to compare
        }
    }

    // Only text shaped like "2027-05-20T20:00:00…" is parsed, so ordinary strings cost no parse.
    private static Instant? Timestamp(string text)
    {
        if (text.Length is < 20 or > 64 || text.IndexOf('T', StringComparison.Ordinal) is not (10 or 11))
        {
            return null;
        }

        var parsed = TimestampPattern.Parse(text);

        // Within a year of the calendar's ends the offset could carry the instant out of range, which throws.
        return parsed.Success && parsed.Value.Year is > -9998 and < 9999 ? parsed.Value.ToInstant() : null;
    }
}
