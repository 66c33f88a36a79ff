using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waymark.Model;

/// <summary>The one JSON dialect Waymark stores: camelCase, enums as camelCase strings, no type names.</summary>
public static class WaymarkJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
