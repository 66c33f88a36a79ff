using System.Net.Mail;
using System.Text.Json.Serialization;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Gateway.Channels;

/// <summary>
/// <c>PUT /api/channels/webhook|sms|push</c>: where the channel's deliveries are posted, the secret that signs them and
/// optionally how many per second the receiver takes. Replaces the channel's settings.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record HttpChannelDocument(string? Url, string? Secret, double? RatePerSecond = null)
{
    /// <summary>A secret shorter than this is too easy to guess for an HMAC key.</summary>
    public const int MinSecretLength = 16;

    public const int MaxSecretLength = 512;

    public const int MaxUrlLength = 2048;

    /// <summary>The settings this document asks for, or every problem with it.</summary>
    public (HttpChannelSettings? Settings, List<FieldError> Errors) Validate()
    {
        var errors = new List<FieldError>();
        var url = ChannelValidation.HttpUrl(Url, "$.url", errors);
        ChannelValidation.Secret(Secret, "$.secret", MinSecretLength, MaxSecretLength, errors);
        ChannelValidation.Rate(RatePerSecond, "$.ratePerSecond", errors);
        return errors.Count > 0 ? (null, errors) : (new HttpChannelSettings(url!, Secret!, RatePerSecond), errors);
    }
}

/// <summary>
/// <c>PUT /api/channels/email</c>: the SMTP server, the sender and optionally how many messages per second the server
/// takes. <c>user</c> and <c>password</c> go together, or are both left out for a server that needs no authentication.
/// Replaces the channel's settings (the password too).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EmailChannelDocument(string? Host, int? Port, string? Tls, string? User, string? Password, string? From, double? RatePerSecond = null)
{
    public const int MaxHostLength = 253;

    public const int MaxUserLength = 256;

    public const int MaxPasswordLength = 512;

    public (EmailChannelSettings? Settings, List<FieldError> Errors) Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(Host) || Host.Length > MaxHostLength || Host.Any(char.IsWhiteSpace) || Uri.CheckHostName(Host) == UriHostNameType.Unknown)
        {
            errors.Add(new("$.host", $"must be a host name or IP address of at most {MaxHostLength} characters"));
        }

        if (Port is not (>= 1 and <= 65535))
        {
            errors.Add(new("$.port", "must be a port number from 1 to 65535"));
        }

        if (ChannelViews.ParseTls(Tls) is not { } tls)
        {
            errors.Add(new("$.tls", "must be one of none, starttls, ssl"));
            tls = default;
        }

        var user = string.IsNullOrEmpty(User) ? null : User;
        var password = string.IsNullOrEmpty(Password) ? null : Password;
        if (user is { Length: > MaxUserLength })
        {
            errors.Add(new("$.user", $"must be at most {MaxUserLength} characters"));
        }

        if (password is { Length: > MaxPasswordLength })
        {
            errors.Add(new("$.password", $"must be at most {MaxPasswordLength} characters"));
        }

        if (user is not null && password is null)
        {
            errors.Add(new("$.password", "is required with a user"));
        }
        else if (user is null && password is not null)
        {
            errors.Add(new("$.user", "is required with a password"));
        }

        if (!MailAddress.TryCreate(From, out var from) || from.Host.Length == 0 || From!.Contains('\n', StringComparison.Ordinal) || From.Contains('\r', StringComparison.Ordinal))
        {
            errors.Add(new("$.from", "must be a mailbox such as 'news@acme.io' or 'Acme <news@acme.io>'"));
        }

        ChannelValidation.Rate(RatePerSecond, "$.ratePerSecond", errors);
        return errors.Count > 0
            ? (null, errors)
            : (new EmailChannelSettings(Host!, Port!.Value, tls, user, password, From!.Trim(), RatePerSecond), errors);
    }
}

/// <summary>Checks shared by the channel documents.</summary>
internal static class ChannelValidation
{
    /// <summary>
    /// Beyond this a limit protects no receiver, and the pacer's slots (spaced in 100 ns ticks) would round too coarsely.
    /// </summary>
    public const double MaxRatePerSecond = 100_000;

    /// <summary>A send rate: absent (no limit) or a positive number of sends per second, fractions allowed (0.5 is one every 2 s).</summary>
    public static void Rate(double? rate, string path, List<FieldError> errors)
    {
        if (rate is { } value && !(value > 0 && value <= MaxRatePerSecond))
        {
            errors.Add(new(path, $"must be a number of sends per second greater than 0 and at most {MaxRatePerSecond:0}, or left out for no limit"));
        }
    }

    public static Uri? HttpUrl(string? text, string path, List<FieldError> errors)
    {
        if (text is null || text.Length > HttpChannelDocument.MaxUrlLength
            || !Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(url.Host))
        {
            errors.Add(new(path, $"must be an absolute http or https URL of at most {HttpChannelDocument.MaxUrlLength} characters"));
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            errors.Add(new(path, "must not carry a user or password (the signature authenticates the delivery)"));
            return null;
        }

        return url;
    }

    public static void Secret(string? secret, string path, int min, int max, List<FieldError> errors)
    {
        if (secret is null || secret.Length < min || secret.Length > max || string.IsNullOrWhiteSpace(secret))
        {
            errors.Add(new(path, $"must be {min} to {max} characters"));
        }
    }
}
