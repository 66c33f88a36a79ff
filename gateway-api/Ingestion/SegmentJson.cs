using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Waymark.Gateway.Problems;

namespace Waymark.Gateway.Ingestion;

/// <summary>The JSON work of <see cref="SegmentParser"/>: reading members and timestamps, writing objects.</summary>
internal static partial class SegmentJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The text is stored and read back as JSON, never put in HTML, so non-ASCII text need not be \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A member's value; JSON null counts as absent, as SDKs send null for "not set".</summary>
    public static JsonElement? Field(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The members of the objects, later ones winning name by name; null when no object is given.</summary>
    public static OrderedDictionary<string, JsonElement>? Merge(params ReadOnlySpan<JsonElement?> objects)
    {
        OrderedDictionary<string, JsonElement>? members = null;
        foreach (var obj in objects)
        {
            if (obj is { } present)
            {
                members ??= new(StringComparer.Ordinal);
                foreach (var member in present.EnumerateObject())
                {
                    members[member.Name] = member.Value;
                }
            }
        }

        return members;
    }

    /// <summary>Compact JSON object text of the members, each value exactly as sent; null for null.</summary>
    public static string? Write(OrderedDictionary<string, JsonElement>? members)
    {
        if (members is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// An RFC 3339 date-time, the ISO 8601 profile SDKs write: an offset is required (a time without one names
    /// no instant), and fractions beyond the 100 ns that DateTimeOffset holds (Go writes nanoseconds) are cut.
    /// </summary>
    public static bool TryParseInstant(JsonElement value, out DateTimeOffset instant)
    {
        instant = default;
        var match = value.ValueKind == JsonValueKind.String ? Rfc3339().Match(value.GetString()!) : Match.Empty;
        if (!match.Success)
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value.PadRight(7, '0')[..7];
        var offset = match.Groups["offset"].Value switch
        {
            "Z" or "z" => "+00:00",
            { Length: 5 } compact => compact.Insert(3, ":"),
            var extended => extended,
        };
        return DateTimeOffset.TryParseExact(
            $"{match.Groups["date"].Value}T{match.Groups["time"].Value}.{fraction}{offset}",
            "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out instant);
    }

    /// <summary>False for a string holding an escaped unpaired surrogate, which System.Text.Json throws on reading.</summary>
    public static bool IsReadableText(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Reports every string under <paramref name="element"/> that is not readable text.</summary>
    public static void FindUnpairedSurrogates(JsonElement element, string path, List<FieldError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsReadableText(element):
                errors.Add(new(path, "holds a \\u escape of an unpaired surrogate, which is not text"));
                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    FindUnpairedSurrogates(member.Value, $"{path}.{member.Name}", errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    FindUnpairedSurrogates(item, $"{path}[{index++}]", errors);
                }

                break;
        }
    }

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?<fraction>[0-9]{1,9}))?(?<offset>[Zz]|[+-][0-9]{2}:?[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
