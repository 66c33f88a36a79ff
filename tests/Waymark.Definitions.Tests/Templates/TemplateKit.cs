using System.Text.Json;
using System.Text.Json.Nodes;
using Waymark.Definitions.Templates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Templates;

/// <summary>Reads and renders templates written as JSON text, for the template tests.</summary>
internal static class TemplateKit
{
    public static Parsed<MessageTemplate> Stored(string json)
    {
        using var document = JsonDocument.Parse(json);
        return TemplateReader.ReadStored(document.RootElement);
    }

    public static MessageTemplate Valid(string json)
    {
        var parsed = Stored(json);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return parsed.Value!;
    }

    public static (MessageTemplate? Template, IReadOnlyList<DefinitionProblem> Problems) Inline(string json, Channel channel)
    {
        using var document = JsonDocument.Parse(json);
        var problems = new Problems();
        var template = TemplateReader.ReadInline(document.RootElement, channel, "$.nodes[2].template", problems);
        return (template, problems.All);
    }

    public static TemplateVariables Customer(string traitsJson = "{}") => new()
    {
        CustomerId = "cust-1",
        Traits = JsonNode.Parse(traitsJson)!.AsObject(),
    };

    public static RenderedMessage Render(string json, TemplateVariables? variables = null) =>
        TemplateRenderer.Render(Valid(json), variables ?? Customer(), new LinkPlaceholders());

    /// <summary>The one field of a rendered sms.</summary>
    public static string Sms(string liquid, TemplateVariables? variables = null) =>
        Render(new JsonObject { ["channel"] = "sms", ["text"] = liquid }.ToJsonString(), variables).Fields["text"];
}
