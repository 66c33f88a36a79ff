using System.Text.Json;
using System.Text.Json.Nodes;
using Fluid;

namespace Waymark.Definitions.Templates;

/// <summary>
/// A validated message template of one channel: the Liquid source of each field and, parsed once when
/// the template was read, the Fluid templates that render it. Immutable and safe to share across threads.
/// </summary>
public sealed class MessageTemplate
{
    /// <param name="fields">The text fields in the channel's field order.</param>
    internal MessageTemplate(
        Channel channel,
        IReadOnlyList<(string Field, string Source, IFluidTemplate Parsed)> fields,
        (JsonElement Source, PayloadTemplate Parsed)? payload,
        string? name,
        string? description)
    {
        Channel = channel;
        Sources = fields.ToDictionary(f => f.Field, f => f.Source, StringComparer.Ordinal);
        ParsedFields = fields.Select(f => (f.Field, f.Parsed)).ToList();
        Payload = payload?.Source;
        ParsedPayload = payload?.Parsed;
        Name = name;
        Description = description;
    }

    public Channel Channel { get; }

    /// <summary>The Liquid source of each text field the template has (<c>subject</c>, <c>html</c>, …); webhook templates have none.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>The webhook payload as written, Liquid inside its strings; null for other channels.</summary>
    public JsonElement? Payload { get; }

    /// <summary>A stored template's name, if it has one.</summary>
    public string? Name { get; }

    /// <summary>A stored template's description, if it has one.</summary>
    public string? Description { get; }

    internal PayloadTemplate? ParsedPayload { get; }

    /// <summary>The parsed text fields, in the channel's field order.</summary>
    internal IReadOnlyList<(string Field, IFluidTemplate Template)> ParsedFields { get; }

    /// <summary>The template as a stored template's JSON: <c>channel</c>, <c>name</c> and <c>description</c> when set, then the fields.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["channel"] = ChannelFields.NameOf(Channel) };
        if (Name is not null)
        {
            json["name"] = Name;
        }

        if (Description is not null)
        {
            json["description"] = Description;
        }

        foreach (var (field, _) in ParsedFields)
        {
            json[field] = Sources[field];
        }

        if (Payload is { } payload)
        {
            json[ChannelFields.Payload] = JsonNode.Parse(payload.GetRawText());
        }

        return json;
    }
}
