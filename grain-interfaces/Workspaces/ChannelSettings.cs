using System.Text;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>
/// A workspace's delivery settings (api.md §5), kept by its <see cref="IWorkspaceGrain"/>: where webhook, sms and
/// push deliveries go, how email leaves and how fast each may send. A channel with no settings (null) fails its
/// messages; <c>inapp</c> needs none. These records hold secrets: their <c>ToString</c> leaves them out, the API never
/// returns them and nothing logs them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelSettings(
    [property: Id(0)] HttpChannelSettings? Webhook,
    [property: Id(1)] HttpChannelSettings? Sms,
    [property: Id(2)] HttpChannelSettings? Push,
    [property: Id(3)] EmailChannelSettings? Email)
{
    /// <summary>No channel configured: what a new workspace has.</summary>
    public static ChannelSettings None { get; } = new(null, null, null, null);

    /// <summary>The settings of one of the HTTP channels; null when it has none.</summary>
    public HttpChannelSettings? Http(HttpChannelKind channel) => channel switch
    {
        HttpChannelKind.Webhook => Webhook,
        HttpChannelKind.Sms => Sms,
        HttpChannelKind.Push => Push,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not an HTTP channel"),
    };

    /// <summary>These settings with one HTTP channel's replaced.</summary>
    public ChannelSettings WithHttp(HttpChannelKind channel, HttpChannelSettings? settings) => channel switch
    {
        HttpChannelKind.Webhook => this with { Webhook = settings },
        HttpChannelKind.Sms => this with { Sms = settings },
        HttpChannelKind.Push => this with { Push = settings },
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "not an HTTP channel"),
    };
}

/// <summary>The channels that deliver by an HTTP <c>POST</c> to a URL the workspace configures.</summary>
[GenerateSerializer]
public enum HttpChannelKind
{
    Webhook,
    Sms,
    Push,
}

/// <summary>
/// Where a webhook, sms or push delivery is posted and the secret its <c>Waymark-Signature</c> is computed with.
/// </summary>
/// <param name="Url">An absolute <c>http</c> or <c>https</c> URL.</param>
/// <param name="Secret">The HMAC-SHA256 key, as UTF-8; never returned nor logged.</param>
/// <param name="RatePerSecond">The most sends per second the workspace's receiver takes on this channel, across the
/// cluster; null for no limit. Sends over it wait their turn rather than being dropped.</param>
[GenerateSerializer, Immutable]
public sealed record HttpChannelSettings(
    [property: Id(0)] Uri Url,
    [property: Id(1)] string Secret,
    [property: Id(2)] double? RatePerSecond = null)
{
    /// <summary>Leaves the secret out of <c>ToString</c>.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(Url).Append(", Secret = ***, RatePerSecond = ").Append(RatePerSecond);
        return true;
    }
}

/// <summary>How the SMTP connection is secured.</summary>
[GenerateSerializer]
public enum EmailTls
{
    /// <summary>Plain SMTP, no TLS (a relay on the same host or network only).</summary>
    None,

    /// <summary>Plain connection upgraded with <c>STARTTLS</c> (usually port 587); refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    Ssl,
}

/// <summary>The SMTP server email leaves through and the sender it names.</summary>
/// <param name="Host">The server's host name or address.</param>
/// <param name="Port">1 to 65535.</param>
/// <param name="User">The user to authenticate as; null for a server that needs no authentication (then <see cref="Password"/> is null too).</param>
/// <param name="Password">The user's password; never returned nor logged.</param>
/// <param name="From">The sender's mailbox, such as <c>Acme &lt;news@acme.io&gt;</c>.</param>
/// <param name="RatePerSecond">The most messages per second the server takes from the workspace, across the cluster;
/// null for no limit. Messages over it wait their turn rather than being dropped.</param>
[GenerateSerializer, Immutable]
public sealed record EmailChannelSettings(
    [property: Id(0)] string Host,
    [property: Id(1)] int Port,
    [property: Id(2)] EmailTls Tls,
    [property: Id(3)] string? User,
    [property: Id(4)] string? Password,
    [property: Id(5)] string From,
    [property: Id(6)] double? RatePerSecond = null)
{
    /// <summary>Leaves the password out of <c>ToString</c>.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Host = ").Append(Host).Append(", Port = ").Append(Port).Append(", Tls = ").Append(Tls)
            .Append(", User = ").Append(User).Append(", Password = ").Append(Password is null ? "null" : "***")
            .Append(", From = ").Append(From).Append(", RatePerSecond = ").Append(RatePerSecond);
        return true;
    }
}
