using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The unsubscribe link of a message, <c>{Waymark:PublicBaseUrl}/u/{token}</c> (api.md §5), which the email's
/// <c>List-Unsubscribe</c> header carries. The token is an <see cref="UnsubscribeToken"/> signed with the workspace's
/// tracking key (<see cref="TrackingKeys"/>); <see cref="VerifyAsync"/> is what the <c>/u/{token}</c> endpoint checks it with.
/// </summary>
public sealed class UnsubscribeLinks(TrackingKeys keys, IOptions<PublicLinkOptions> options)
{
    private readonly string baseUrl = options.Value.BaseUrl!.AbsoluteUri.TrimEnd('/');

    /// <summary>The link that unsubscribes the message's customer from the message's channel.</summary>
    public async ValueTask<Uri> ForAsync(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = await keys.SigningKeyAsync(message.Workspace);
        var token = new UnsubscribeToken(message.Workspace, message.CustomerKey, message.MessageId, message.Channel).Sign(key);
        return new Uri($"{baseUrl}/u/{token}");
    }

    /// <summary>What a token says, when it is one this deployment signed for the workspace it names; else null.</summary>
    public async ValueTask<UnsubscribeToken?> VerifyAsync(string token)
    {
        if (UnsubscribeToken.Read(token) is not { } claims || await keys.VerifyingKeyAsync(claims.Workspace) is not { } key)
        {
            return null;
        }

        return UnsubscribeToken.IsSignedWith(token, key) ? claims : null;
    }
}

/// <summary>
/// What an unsubscribe link stands for: the customer <see cref="CustomerKey"/> of <see cref="Workspace"/> got message
/// <see cref="MessageId"/> on <see cref="Channel"/>. As text, <c>{payload}.{signature}</c>, both base64url (no padding):
/// the payload is the UTF-8 JSON array <c>["u1", workspace, customerKey, messageId, channel]</c> (<c>u1</c>: unsubscribe,
/// version 1, so a token of another purpose signed with the same key is never taken for one) and the signature is the
/// HMAC-SHA256 of the payload's bytes under the workspace's tracking key. The payload is readable, not secret (it names
/// the customer to the customer); the signature makes it unforgeable.
/// </summary>
public sealed record UnsubscribeToken(string Workspace, string CustomerKey, string MessageId, Channel Channel)
{
    private const string Purpose = "u1";

    /// <summary>Longer text is not a token this type writes (it would hold ids far beyond their limits).</summary>
    private const int MaxLength = 4096;

    /// <summary>The token's text, signed with <paramref name="key"/>.</summary>
    public string Sign(ReadOnlySpan<byte> key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes<string[]>([Purpose, Workspace, CustomerKey, MessageId, ChannelFields.NameOf(Channel)]);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, payload));
    }

    /// <summary>The token's claims, <em>unchecked</em> (the workspace says whose key to check it with); null when it is no unsubscribe token.</summary>
    public static UnsubscribeToken? Read(string token)
    {
        if (Split(token) is not var (payload, _))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(payload) is [Purpose, var workspace, var customer, var message, var channel]
                && workspace is not null && customer is not null && message is not null && ChannelFields.TryParse(channel ?? "", out var parsed)
                ? new UnsubscribeToken(workspace, customer, message, parsed)
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
        string.Create(CultureInfo.InvariantCulture, $"unsubscribe {CustomerKey} of {Workspace} from {ChannelFields.NameOf(Channel)} (message {MessageId})");
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
