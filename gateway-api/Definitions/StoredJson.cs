using System.Text.Json;

namespace Waymark.Gateway.Definitions;

/// <summary>Definitions are stored as the JSON text designers sent; answers embed it as JSON again.</summary>
internal static class StoredJson
{
    public static JsonElement Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
