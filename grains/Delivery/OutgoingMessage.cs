using System.Collections.Immutable;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// One message of one send step, as the runtime hands it to a channel. The runtime derives
/// <see cref="MessageId"/> from (journey, entry, node) and fixes <see cref="SentAt"/> when the step first
/// sends, so a redelivery after a crash carries the same values (canvas.md "Delivery").
/// </summary>
/// <param name="CustomerKey">The customer's key, <c>u:{userId}</c> or <c>a:{anonymousId}</c>.</param>
/// <param name="UserId">The customer's user id; null for an anonymous customer.</param>
/// <param name="Variant">The variant the customer got, when the send node has variants.</param>
/// <param name="Address">The customer's address on the channel when the step sent (<see cref="DeliveryAddress"/>): an email
/// address, a phone number or a push token; null for webhook and in-app.</param>
public sealed record OutgoingMessage(
    string Workspace,
    string CustomerKey,
    string? UserId,
    string MessageId,
    string JourneyId,
    string NodeId,
    Channel Channel,
    string? Variant,
    RenderedContent Content,
    DateTimeOffset SentAt,
    string? Address = null);

/// <summary>
/// What a message says: the rendered text of each template field (<see cref="ChannelFields"/>) and, for
/// a webhook, the rendered payload as JSON text. Tracked links are already real links.
/// </summary>
public sealed record RenderedContent(ImmutableDictionary<string, string> Fields, string? Payload)
{
    /// <summary>The content of a rendered message whose links were resolved (<see cref="RenderedMessage.ResolveLinks"/>).</summary>
    public static RenderedContent From(RenderedMessage rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        return new(rendered.Fields.ToImmutableDictionary(StringComparer.Ordinal), rendered.Payload?.ToJsonString());
    }

    /// <summary>The field's text; null when the template has no such field or it rendered empty.</summary>
    public string? Field(string name) => Fields.TryGetValue(name, out var text) && text.Length > 0 ? text : null;
}
