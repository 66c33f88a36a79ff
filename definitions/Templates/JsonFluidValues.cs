using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid.Values;

namespace Waymark.Definitions.Templates;

/// <summary>
/// Converts JSON to Fluid values explicitly rather than through Fluid's reflection, so objects index by
/// key (case-sensitive, as JSON), arrays loop and have a size, and numbers compare as numbers.
/// </summary>
internal static class JsonFluidValues
{
    public static FluidValue From(JsonNode? node) => node switch
    {
        JsonObject json => Object(json.Select(p => KeyValuePair.Create(p.Key, From(p.Value)))),
        JsonArray json => Array(json.Select(From)),
        JsonValue json => Scalar(json),
        _ => NilValue.Instance,
    };

    public static FluidValue Object(IEnumerable<KeyValuePair<string, FluidValue>> properties)
    {
        var dictionary = new Dictionary<string, FluidValue>(StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            dictionary[key] = value;
        }

        return new DictionaryValue(new FluidValueDictionaryFluidIndexable(dictionary));
    }

    public static FluidValue Array(IEnumerable<FluidValue> items) => new ArrayValue(items.ToArray());

    public static FluidValue Text(string? text) => text is null ? NilValue.Instance : StringValue.Create(text);

    private static FluidValue Scalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return StringValue.Create(value.TryGetValue<string>(out var text) ? text : value.ToString());
            case JsonValueKind.Number:
                // Parsing the JSON text works whether the value wraps a JsonElement or a CLR number.
                var raw = value.ToJsonString();
                return decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? NumberValue.Create(number)
                    : StringValue.Create(raw);
            case JsonValueKind.True:
                return BooleanValue.True;
            case JsonValueKind.False:
                return BooleanValue.False;
            default:
                return NilValue.Instance;
        }
    }
}
