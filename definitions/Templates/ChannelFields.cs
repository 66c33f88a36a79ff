namespace Waymark.Definitions.Templates;

/// <summary>The template fields of each channel (canvas.md "Templates") and the channels' names in JSON.</summary>
public static class ChannelFields
{
    public const string Payload = "payload";
    public const string Subject = "subject";
    public const string Html = "html";
    public const string Text = "text";
    public const string Title = "title";
    public const string Body = "body";
    public const string Url = "url";
    public const string Image = "image";

    private static readonly Dictionary<Channel, IReadOnlyList<string>> FieldsByChannel = new()
    {
        [Channel.Webhook] = [Payload],
        [Channel.Email] = [Subject, Html, Text],
        [Channel.Sms] = [Text],
        [Channel.Push] = [Title, Body, Url],
        [Channel.Inapp] = [Title, Body, Url, Image],
    };

    private static readonly Dictionary<string, Channel> ChannelsByName =
        Enum.GetValues<Channel>().ToDictionary(NameOf, StringComparer.Ordinal);

    /// <summary>The channels as JSON names them: <c>webhook</c>, <c>email</c>, <c>sms</c>, <c>push</c>, <c>inapp</c>.</summary>
    public static IReadOnlyList<string> ChannelNames { get; } = [.. ChannelsByName.Keys];

    /// <summary>Every field any channel has.</summary>
    internal static IReadOnlyList<string> All { get; } = FieldsByChannel.Values.SelectMany(f => f).Distinct().ToArray();

    /// <summary>The channel's fields in the order they are written.</summary>
    public static IReadOnlyList<string> Of(Channel channel) => FieldsByChannel[channel];

    /// <summary>Whether every template of the channel must have the field.</summary>
    internal static bool IsRequired(Channel channel, string field) => (channel, field) switch
    {
        (Channel.Webhook, Payload) or (Channel.Email, Subject) or (Channel.Sms, Text) or (Channel.Push, Body) => true,
        _ => false,
    };

    /// <summary>The fields of which a template must have at least one: email html or text, inapp title or body.</summary>
    internal static IReadOnlyList<string> AtLeastOneOf(Channel channel) => channel switch
    {
        Channel.Email => [Html, Text],
        Channel.Inapp => [Title, Body],
        _ => [],
    };

    /// <summary>The channels other than <paramref name="except"/> that have <paramref name="field"/>.</summary>
    internal static IEnumerable<Channel> ChannelsWith(string field, Channel except) =>
        FieldsByChannel.Where(c => c.Key != except && c.Value.Contains(field)).Select(c => c.Key);

    /// <summary>The channel's name in JSON: <c>email</c>, <c>inapp</c>.</summary>
    public static string NameOf(Channel channel) => channel switch
    {
        Channel.Webhook => "webhook",
        Channel.Email => "email",
        Channel.Sms => "sms",
        Channel.Push => "push",
        Channel.Inapp => "inapp",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not a channel"),
    };

    /// <summary>The channel a JSON name stands for; exact and lower-case, as <see cref="NameOf"/> writes it.</summary>
    public static bool TryParse(string name, out Channel channel) => ChannelsByName.TryGetValue(name, out channel);
}
