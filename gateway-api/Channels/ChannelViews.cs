using System.Text.Json.Serialization;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Gateway.Channels;

/// <summary>
/// <c>GET /api/channels</c>: every channel, whether it is configured and its settings without their secrets
/// (<c>secretSet</c>, <c>passwordSet</c> say whether one is stored). <c>inapp</c> needs no settings and is always configured.
/// </summary>
public sealed record ChannelsView(HttpChannelView Webhook, HttpChannelView Sms, HttpChannelView Push, EmailChannelView Email, InappChannelView Inapp)
{
    public static ChannelsView Of(ChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new(
            HttpChannelView.Of(settings.Webhook),
            HttpChannelView.Of(settings.Sms),
            HttpChannelView.Of(settings.Push),
            EmailChannelView.Of(settings.Email),
            new InappChannelView(Configured: true));
    }
}

/// <summary>A webhook, sms or push channel as shown: its URL and rate limit (absent for none), never its secret.</summary>
public sealed record HttpChannelView(
    bool Configured,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? SecretSet = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RatePerSecond = null)
{
    public static HttpChannelView Of(HttpChannelSettings? settings) =>
        settings is null ? new(false) : new(true, settings.Url.OriginalString, settings.Secret.Length > 0, settings.RatePerSecond);
}

/// <summary>The email channel as shown: its server, sender and rate limit (absent for none), never its password.</summary>
public sealed record EmailChannelView(
    bool Configured,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Port = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Tls = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? User = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? PasswordSet = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? From = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? RatePerSecond = null)
{
    public static EmailChannelView Of(EmailChannelSettings? settings) =>
        settings is null
            ? new(false)
            : new(true, settings.Host, settings.Port, ChannelViews.TlsName(settings.Tls), settings.User, settings.Password is not null, settings.From,
                settings.RatePerSecond);
}

public sealed record InappChannelView(bool Configured);

/// <summary>The names of <see cref="EmailTls"/> in JSON.</summary>
internal static class ChannelViews
{
    public static string TlsName(EmailTls tls) => tls switch
    {
        EmailTls.None => "none",
        EmailTls.StartTls => "starttls",
        EmailTls.Ssl => "ssl",
        _ => throw new ArgumentOutOfRangeException(nameof(tls), tls, null),
    };

    public static EmailTls? ParseTls(string? name) => name switch
    {
        "none" => EmailTls.None,
        "starttls" => EmailTls.StartTls,
        "ssl" => EmailTls.Ssl,
        _ => null,
    };
}
