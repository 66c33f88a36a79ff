using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Waymark.Engine.Predicates;

/// <summary>
/// Writes an <see cref="Instant"/> as ISO 8601 text in UTC (<c>2027-05-20T12:00:00Z</c>, nanoseconds kept) and
/// reads it back. System.Text.Json knows no NodaTime type, so the engine's persisted records carry this
/// converter on their instants and serialize with any options.
/// </summary>
public sealed class InstantJsonConverter : JsonConverter<Instant>
{
    private static readonly InstantPattern Pattern = InstantPattern.ExtendedIso;

    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        var parsed = text is null ? null : Pattern.Parse(text);
        return parsed is { Success: true } ? parsed.Value : throw new JsonException($"Expected an instant such as \"2027-05-20T12:00:00Z\", not {text ?? reader.TokenType.ToString()}.");
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Pattern.Format(value));
}
