using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The headers of a webhook, sms or push delivery (api.md §5): <c>Waymark-Message-Id</c>, so the receiver can drop a
/// repeat, and <c>Waymark-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, the lowercase hex HMAC-SHA256 of
/// <c>"{t}.{body}"</c> keyed with the channel's secret (UTF-8), so the receiver can tell the message is the
/// workspace's and how old it is (it should refuse a <c>t</c> far from its own clock).
/// </summary>
public static class DeliverySignature
{
    public const string MessageIdHeader = "Waymark-Message-Id";

    public const string SignatureHeader = "Waymark-Signature";

    /// <summary>The <c>Waymark-Signature</c> value of <paramref name="body"/> signed at <paramref name="at"/>.</summary>
    public static string Of(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Mac(secret, t, body)}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>, made
    /// within <paramref name="tolerance"/> of <paramref name="now"/>: what a receiver does (and the tests).
    /// </summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(header);
        string? t = null, v1 = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && pair[0].Trim() == "t")
            {
                t = pair[1].Trim();
            }
            else if (pair.Length == 2 && pair[0].Trim() == "v1")
            {
                v1 = pair[1].Trim();
            }
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || v1 is null
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        return (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= tolerance
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(secret, t!, body)), Encoding.ASCII.GetBytes(v1));
    }

    /// <summary>Lowercase hex HMAC-SHA256 of <c>"{t}.{body}"</c>.</summary>
    private static string Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
