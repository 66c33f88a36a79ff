using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Gateway.Inbox;

/// <summary>
/// Checks user tokens: <c>hex(HMAC-SHA256(inboxSecret, userId))</c>, which the app's backend computes
/// (api.md §5). Each workspace's secret is kept for <see cref="RefreshPeriod"/>, so reading an inbox costs
/// no call to the workspace grain. The secret is never logged.
/// </summary>
internal sealed class InboxTokens(IGrainFactory grains, WaymarkClock clock)
{
    /// <summary>How long a gateway keeps a workspace's inbox secret before asking the workspace again.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (byte[] Secret, DateTimeOffset FetchedAt)> secrets = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="token"/> is the user's token in the workspace; compared in constant time.</summary>
    public async ValueTask<bool> VerifyAsync(string workspace, string userId, string? token) =>
        token is { Length: HMACSHA256.HashSizeInBytes * 2 }
        && await SecretAsync(workspace) is { } secret
        && Matches(secret, userId, token);

    private async ValueTask<byte[]?> SecretAsync(string workspace)
    {
        var now = clock.GetUtcNow();
        if (secrets.TryGetValue(workspace, out var entry) && now - entry.FetchedAt < RefreshPeriod)
        {
            return entry.Secret;
        }

        // A workspace without a secret accepts no token: an HMAC under an empty key is anyone's to compute.
        if ((await grains.GetGrain<IWorkspaceGrain>(workspace).Describe())?.InboxSecret is not { Length: > 0 } inboxSecret)
        {
            return null;
        }

        var secret = Encoding.UTF8.GetBytes(inboxSecret);
        secrets[workspace] = (secret, now);
        return secret;
    }

    private static bool Matches(byte[] secret, string userId, string token)
    {
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(token, presented, out _, out var written) != OperationStatus.Done || written != presented.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(userId), expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }
}
