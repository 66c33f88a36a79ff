using System.Text.Json.Nodes;

namespace Waymark.Definitions.Templates;

/// <summary>
/// What a template can read (canvas.md "Templates"): <c>customer.id</c>, <c>customer.traits.*</c>,
/// <c>customer.tags</c>, <c>event.name</c>, <c>event.properties.*</c>, <c>trigger.properties.*</c>,
/// <c>journey.id</c>, <c>journey.name</c>, <c>message.id</c>, <c>message.variant</c>. Anything absent
/// renders empty. The JSON objects are only read; <see cref="JsonObject.Create(System.Text.Json.JsonElement, JsonNodeOptions?)"/>
/// wraps a <c>JsonElement</c> without copying it.
/// </summary>
public sealed record TemplateVariables
{
    public required string CustomerId { get; init; }

    public JsonObject? Traits { get; init; }

    public IReadOnlyCollection<string> Tags { get; init; } = [];

    /// <summary>The current event: the one that arrived at the last <c>waitEvent</c>, else the trigger event.</summary>
    public string? EventName { get; init; }

    public JsonObject? EventProperties { get; init; }

    public JsonObject? TriggerProperties { get; init; }

    public string? JourneyId { get; init; }

    public string? JourneyName { get; init; }

    public string? MessageId { get; init; }

    /// <summary>The variant the customer got, when the send node has variants.</summary>
    public string? MessageVariant { get; init; }
}
