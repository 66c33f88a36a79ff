using System.Text.Json;
using Fluid;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Templates;

/// <summary>
/// Reads message templates (canvas.md "Templates"): the fields of their channel, each parsed as Liquid
/// once, with every problem reported at its JSON path.
/// </summary>
public static class TemplateReader
{
    private const string ChannelField = "channel";

    /// <summary>
    /// An inline template of a send node or variant at <paramref name="path"/>: the fields of
    /// <paramref name="channel"/> only (the node names the channel). Null when a problem was reported.
    /// </summary>
    public static MessageTemplate? ReadInline(JsonElement element, Channel channel, string path, Problems problems) =>
        UnreadableText.Check(element, path, problems) ? ReadInlineScanned(element, channel, path, problems) : null;

    /// <summary>As <see cref="ReadInline"/>, for part of a document <see cref="UnreadableText"/> has already checked.</summary>
    internal static MessageTemplate? ReadInlineScanned(JsonElement element, Channel channel, string path, Problems problems)
    {
        if (ObjectReader.Open(element, path, problems) is not { } reader)
        {
            return null;
        }

        var before = problems.Count;
        if (reader.Field(ChannelField) is not null)
        {
            problems.Add(reader.PathOf(ChannelField), "is not allowed in an inline template: the send node's 'channel' names it");
        }

        var template = ReadFields(reader, channel, name: null, description: null);
        reader.RejectUnknownFields();
        return problems.Count == before ? template : null;
    }

    /// <summary>
    /// A stored template as <c>PUT /api/templates/{id}</c> receives it: its <c>channel</c>, optional
    /// <c>name</c> and <c>description</c>, and the channel's fields; paths are rooted at <c>$</c>.
    /// </summary>
    public static Parsed<MessageTemplate> ReadStored(JsonElement body)
    {
        var problems = new Problems();
        if (!UnreadableText.Check(body, JsonPath.Root, problems) || ObjectReader.Open(body, JsonPath.Root, problems) is not { } reader)
        {
            return Parsed.From<MessageTemplate>(null, problems);
        }

        var channelName = reader.OneOf(ChannelField, ChannelFields.ChannelNames, required: true);
        var name = reader.Text("name");
        var description = reader.Text("description");
        MessageTemplate? template = null;
        if (channelName is not null && ChannelFields.TryParse(channelName, out var channel))
        {
            template = ReadFields(reader, channel, name, description);
        }
        else
        {
            // Without a channel the fields cannot be checked, but they are not unknown either.
            foreach (var field in ChannelFields.All)
            {
                reader.Field(field);
            }
        }

        reader.RejectUnknownFields();
        return Parsed.From(template, problems);
    }

    private static MessageTemplate? ReadFields(ObjectReader reader, Channel channel, string? name, string? description)
    {
        var before = reader.Problems.Count;
        var fields = new List<(string Field, string Source, IFluidTemplate Parsed)>();
        (JsonElement, PayloadTemplate)? payload = null;
        foreach (var field in ChannelFields.Of(channel))
        {
            if (field == ChannelFields.Payload)
            {
                payload = ReadPayload(reader);
                continue;
            }

            var source = reader.Text(field, ChannelFields.IsRequired(channel, field));
            if (source is null)
            {
                continue;
            }

            if (Liquid.Parse(source, out var error) is { } parsed)
            {
                fields.Add((field, source, parsed));
            }
            else
            {
                reader.Problems.Add(reader.PathOf(field), error!);
            }
        }

        var oneOf = ChannelFields.AtLeastOneOf(channel);
        if (oneOf.Count > 0 && !oneOf.Any(reader.Has))
        {
            reader.Problems.Add(reader.Path, $"must have {string.Join(" or ", oneOf.Select(f => $"'{f}'"))} (or both)");
        }

        RejectForeignFields(reader, channel);
        return reader.Problems.Count == before ? new MessageTemplate(channel, fields, payload, name, description) : null;
    }

    private static (JsonElement, PayloadTemplate)? ReadPayload(ObjectReader reader)
    {
        if (reader.Field(ChannelFields.Payload, required: true) is not { } value)
        {
            return null;
        }

        var parsed = PayloadTemplate.Read(value, reader.PathOf(ChannelFields.Payload), ChannelFields.Payload, reader.Problems);
        return parsed is null ? null : (value.Clone(), parsed);
    }

    // A field of another channel is a likelier mistake than a typo, and deserves a message that says so.
    private static void RejectForeignFields(ObjectReader reader, Channel channel)
    {
        foreach (var property in reader.Element.EnumerateObject())
        {
            var owners = ChannelFields.ChannelsWith(property.Name, channel).Select(ChannelFields.NameOf).ToList();
            if (owners.Count == 0 || ChannelFields.Of(channel).Contains(property.Name) || reader.Field(property.Name) is null)
            {
                continue;
            }

            var belongs = owners.Count == 1 ? $"the {owners[0]} channel" : $"the {string.Join(" and ", owners)} channels";
            reader.Problems.Add(reader.PathOf(property.Name), $"'{property.Name}' belongs to {belongs}, not {ChannelFields.NameOf(channel)}");
        }
    }
}
