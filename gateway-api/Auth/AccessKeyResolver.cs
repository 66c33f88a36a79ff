using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Gateway.Auth;

/// <summary>Section <c>Waymark:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Waymark:Auth";

    /// <summary>
    /// How long a gateway trusts a resolved key without asking its grain again. A revocation takes
    /// effect at once on the gateway that handled it and within this time on the others.
    /// </summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Resolves presented keys through their <see cref="IAccessKeyGrain"/>, with a short per-gateway cache so
/// that a write key sending thousands of events a second costs one grain call per cache period.
/// </summary>
internal sealed class AccessKeyResolver(IGrainFactory grains, IMemoryCache cache, IOptions<AuthOptions> options)
{
    public async ValueTask<AccessGrant?> ResolveAsync(string secret)
    {
        var hash = AccessKeyHash.Of(secret);
        if (cache.TryGetValue(CacheKey(hash), out AccessGrant? grant))
        {
            return grant;
        }

        grant = await grains.GetGrain<IAccessKeyGrain>(hash).Resolve();
        cache.Set(CacheKey(hash), grant, options.Value.KeyCacheDuration);
        return grant;
    }

    public void Forget(string keyHash) => cache.Remove(CacheKey(keyHash));

    private static string CacheKey(string hash) => "access-key:" + hash;
}
