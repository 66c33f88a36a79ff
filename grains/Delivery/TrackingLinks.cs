using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The links a message carries back to this deployment (api.md §5), each <c>{Waymark:PublicBaseUrl}/{c|o|u}/{token}</c>:
/// a tracked link (<c>track</c> in a template), the email open pixel, and the unsubscribe link of <c>List-Unsubscribe</c>.
/// Each token is a <see cref="TrackingToken"/> signed with the workspace's tracking key (<see cref="TrackingKeys"/>), so it
/// routes its feedback to the message's customer without a lookup and cannot be forged; <see cref="VerifyAsync"/> is what
/// the endpoints check it with.
/// </summary>
public sealed class TrackingLinks(TrackingKeys keys, IOptions<PublicLinkOptions> options)
{
    private readonly string baseUrl = options.Value.BaseUrl!.AbsoluteUri.TrimEnd('/');

    /// <summary>
    /// The rendered message with each tracked link a click link to its target. A target that is no absolute http(s) URL
    /// stays as it is: following it could not end in a redirect a browser takes.
    /// </summary>
    public async ValueTask<RenderedMessage> ResolveAsync(RenderedMessage rendered, string workspace, string customerKey, string messageId)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        if (rendered.Links.Count == 0)
        {
            return rendered;
        }

        var key = await keys.SigningKeyAsync(workspace);
        return rendered.ResolveLinks((_, target) => TrackingToken.IsWebUrl(target)
            ? Link(new TrackingToken(TrackingPurpose.Click, workspace, customerKey, messageId, target), key)
            : target);
    }

    /// <summary>The open pixel of an email.</summary>
    public ValueTask<Uri> OpenPixelAsync(OutgoingMessage message) => ForAsync(message, TrackingPurpose.Open, "");

    /// <summary>The link that unsubscribes the message's customer from the message's channel.</summary>
    public ValueTask<Uri> UnsubscribeAsync(OutgoingMessage message) => ForAsync(message, TrackingPurpose.Unsubscribe, "");

    /// <summary>What a token says, when it is one this deployment signed for the workspace it names and for <paramref name="purpose"/>; else null.</summary>
    public async ValueTask<TrackingToken?> VerifyAsync(string token, TrackingPurpose purpose)
    {
        if (TrackingToken.Read(token) is not { } claims || claims.Purpose != purpose || await keys.VerifyingKeyAsync(claims.Workspace) is not { } key)
        {
            return null;
        }

        return TrackingToken.IsSignedWith(token, key) ? claims : null;
    }

    private async ValueTask<Uri> ForAsync(OutgoingMessage message, TrackingPurpose purpose, string value)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = await keys.SigningKeyAsync(message.Workspace);
        return new Uri(Link(new TrackingToken(purpose, message.Workspace, message.CustomerKey, message.MessageId, value), key));
    }

    private string Link(TrackingToken token, byte[] key) => $"{baseUrl}/{TrackingToken.PathOf(token.Purpose)}/{token.Sign(key)}";
}

/// <summary>What a tracking link is for; each has a path of its own (api.md §5).</summary>
public enum TrackingPurpose
{
    /// <summary><c>/c/{token}</c>: a tracked link; <see cref="TrackingToken.Value"/> is its target.</summary>
    Click,

    /// <summary><c>/o/{token}</c>: an email's open pixel.</summary>
    Open,

    /// <summary><c>/u/{token}</c>: unsubscribe from the message's channel.</summary>
    Unsubscribe,
}

/// <summary>
/// What a tracking link stands for: the customer <see cref="CustomerKey"/> of <see cref="Workspace"/> got message
/// <see cref="MessageId"/>, and the link is for <see cref="Purpose"/> (with its <see cref="Value"/>: a click's target, empty for
/// the others; the message's record says its channel). As text, <c>{payload}.{signature}</c>, both base64url (no padding): the payload
/// is the UTF-8 JSON array <c>[purpose, workspace, customerKey, messageId, value]</c> with purpose <c>c1</c>, <c>o1</c> or
/// <c>u1</c> (its version 1), so a token of one purpose is never taken for another, and the signature is the HMAC-SHA256
/// of the payload's bytes under the workspace's tracking key. The payload is readable, not secret (it names the customer
/// to the customer); the signature makes it unforgeable.
/// </summary>
public sealed record TrackingToken(TrackingPurpose Purpose, string Workspace, string CustomerKey, string MessageId, string Value)
{
    /// <summary>Longer text is not a token this type writes: ids are far shorter, and browsers keep URLs under about 8 KB.</summary>
    public const int MaxLength = 8192;

    /// <summary>The path segment of links of this purpose.</summary>
    public static string PathOf(TrackingPurpose purpose) => purpose switch
    {
        TrackingPurpose.Click => "c",
        TrackingPurpose.Open => "o",
        _ => "u",
    };

    /// <summary>Whether a click may redirect to <paramref name="target"/>: an absolute http or https URL.</summary>
    public static bool IsWebUrl(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    /// <summary>The token's text, signed with <paramref name="key"/>.</summary>
    public string Sign(ReadOnlySpan<byte> key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes<string[]>([CodeOf(Purpose), Workspace, CustomerKey, MessageId, Value]);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The token's claims, <em>unchecked</em> (the workspace says whose key to check it with); null when it is no tracking token.</summary>
    public static TrackingToken? Read(string token)
    {
        if (Split(token) is not var (payload, _))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(payload) is [var code, { } workspace, { } customer, { } message, { } value]
                && PurposeOf(code) is { } purpose
                ? new TrackingToken(purpose, workspace, customer, message, value)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the token's signature is the one <paramref name="key"/> gives its payload (compared in constant time).</summary>
    public static bool IsSignedWith(string token, ReadOnlySpan<byte> key) =>
        Split(token) is var (payload, signature) && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), signature);

    private static string CodeOf(TrackingPurpose purpose) => PathOf(purpose) + "1";

    private static TrackingPurpose? PurposeOf(string? code) => code switch
    {
        "c1" => TrackingPurpose.Click,
        "o1" => TrackingPurpose.Open,
        "u1" => TrackingPurpose.Unsubscribe,
        _ => null,
    };

    private static (byte[] Payload, byte[] Signature)? Split(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength || token.Split('.') is not [var payload, var signature])
        {
            return null;
        }

        try
        {
            return (Base64Url.DecodeFromChars(payload), Base64Url.DecodeFromChars(signature));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Purpose} of message {MessageId} to {CustomerKey} of {Workspace}");
}

/// <summary>Where links to this deployment point: <c>Waymark:PublicBaseUrl</c> (README "Configuration").</summary>
public sealed class PublicLinkOptions
{
    /// <summary>The absolute http(s) URL tracked links, pixels and unsubscribe links start with; null when the configured one is not one.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// <c>Waymark:PublicBaseUrl</c>; else the gateway's own URL, the first of <c>urls</c> (<c>ASPNETCORE_URLS</c>) with a
    /// wildcard host read as <c>localhost</c>; else <c>http://localhost:5000</c>, where the gateway listens by default. A
    /// silo process knows no gateway URL: in a cluster, set <c>Waymark:PublicBaseUrl</c>.
    /// </summary>
    public static Uri? BaseUrlFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Waymark:PublicBaseUrl"];
        var text = !string.IsNullOrWhiteSpace(configured) ? configured.Trim()
            : configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } own
                ? own.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)
                    .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal)
                : "http://localhost:5000";
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(url.Query) && string.IsNullOrEmpty(url.Fragment) ? url : null;
    }
}
