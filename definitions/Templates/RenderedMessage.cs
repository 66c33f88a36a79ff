using System.Text.Json;
using System.Text.Json.Nodes;

namespace Waymark.Definitions.Templates;

/// <summary>
/// A message rendered for one customer: the text of each field, or the webhook payload, with each
/// tracked link still a placeholder until <see cref="ResolveLinks"/> swaps in the real link.
/// </summary>
public sealed class RenderedMessage
{
    internal RenderedMessage(Channel channel, IReadOnlyDictionary<string, string> fields, JsonNode? payload, IReadOnlyList<TrackedLink> links)
    {
        Channel = channel;
        Fields = fields;
        Payload = payload;
        Links = links;
    }

    public Channel Channel { get; }

    /// <summary>The rendered text of each field the template has, by name (<see cref="ChannelFields.Subject"/>, …).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The rendered webhook payload (a tree of its own: changing it changes nothing else); null for other channels.</summary>
    public JsonNode? Payload { get; }

    /// <summary>The links the message tracks, in the order the templates tracked them.</summary>
    public IReadOnlyList<TrackedLink> Links { get; }

    /// <summary>
    /// The message with each link's placeholder replaced by <paramref name="urlFor"/>(index in
    /// <see cref="Links"/>, target): HTML-encoded in <c>html</c>, as it is everywhere else.
    /// </summary>
    public RenderedMessage ResolveLinks(Func<int, string, string> urlFor)
    {
        ArgumentNullException.ThrowIfNull(urlFor);
        var urls = Links.Select((link, i) => (link.Placeholder, Url: urlFor(i, link.Target))).ToList();
        var fields = Fields.ToDictionary(
            f => f.Key,
            f => Replace(f.Value, urls, TemplateRenderer.EncoderFor(f.Key).Encode),
            StringComparer.Ordinal);
        return new RenderedMessage(Channel, fields, Resolve(Payload, urls), Links);
    }

    private static string Replace(string text, List<(string Placeholder, string Url)> urls, Func<string, string> encode) =>
        urls.Aggregate(text, (current, link) => current.Replace(link.Placeholder, encode(link.Url), StringComparison.Ordinal));

    private static JsonNode? Resolve(JsonNode? node, List<(string Placeholder, string Url)> urls) => node switch
    {
        JsonObject json => new JsonObject(json.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value, urls)))),
        JsonArray json => new JsonArray(json.Select(item => Resolve(item, urls)).ToArray()),
        JsonValue json when json.GetValueKind() == JsonValueKind.String =>
            JsonValue.Create(Replace(json.GetValue<string>(), urls, url => url)),
        _ => node?.DeepClone(),
    };
}
