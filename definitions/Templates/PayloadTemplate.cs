using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Templates;

/// <summary>
/// A webhook payload parsed once: its shape as written, with every string value a parsed Liquid
/// template (keys stay as they are) and every other value kept literally.
/// </summary>
internal abstract class PayloadTemplate
{
    /// <summary>
    /// The payload at <paramref name="path"/>, or null with each problem reported at its own path.
    /// <paramref name="location"/> is the same place inside the template (<c>payload.customer.id</c>), for render errors.
    /// </summary>
    public static PayloadTemplate? Read(JsonElement value, string path, string location, Problems problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return ReadObject(value, path, location, problems);
            case JsonValueKind.Array:
                var items = value.EnumerateArray()
                    .Select((item, i) => Read(item, JsonPath.Index(path, i), JsonPath.Index(location, i), problems))
                    .ToList();
                return items.Contains(null) ? null : new ArrayPart(items.OfType<PayloadTemplate>().ToList());
            case JsonValueKind.String:
                var template = Liquid.Parse(value.GetString()!, out var error);
                if (template is null)
                {
                    problems.Add(path, error!);
                    return null;
                }

                return new TextPart(template, location);
            default:
                return new LiteralPart(value.Clone());
        }
    }

    /// <summary>The payload rendered: each string by <paramref name="renderText"/> (template, its location).</summary>
    public abstract JsonNode? Render(Func<IFluidTemplate, string, string> renderText);

    private static ObjectPart? ReadObject(JsonElement value, string path, string location, Problems problems)
    {
        var properties = new List<KeyValuePair<string, PayloadTemplate>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = true;
        foreach (var property in value.EnumerateObject())
        {
            var propertyPath = JsonPath.Property(path, property.Name);
            if (!seen.Add(property.Name))
            {
                problems.Add(propertyPath, "appears more than once");
                valid = false;
                continue;
            }

            var part = Read(property.Value, propertyPath, JsonPath.Property(location, property.Name), problems);
            valid &= part is not null;
            if (part is not null)
            {
                properties.Add(KeyValuePair.Create(property.Name, part));
            }
        }

        return valid ? new ObjectPart(properties) : null;
    }

    private sealed class ObjectPart(IReadOnlyList<KeyValuePair<string, PayloadTemplate>> properties) : PayloadTemplate
    {
        public override JsonNode Render(Func<IFluidTemplate, string, string> renderText) =>
            new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, p.Value.Render(renderText))));
    }

    private sealed class ArrayPart(IReadOnlyList<PayloadTemplate> items) : PayloadTemplate
    {
        public override JsonNode Render(Func<IFluidTemplate, string, string> renderText) =>
            new JsonArray(items.Select(item => item.Render(renderText)).ToArray());
    }

    private sealed class TextPart(IFluidTemplate template, string location) : PayloadTemplate
    {
        public override JsonNode Render(Func<IFluidTemplate, string, string> renderText) => JsonValue.Create(renderText(template, location));
    }

    private sealed class LiteralPart(JsonElement value) : PayloadTemplate
    {
        public override JsonNode? Render(Func<IFluidTemplate, string, string> renderText) =>
            value.ValueKind == JsonValueKind.Null ? null : JsonValue.Create(value);
    }
}
