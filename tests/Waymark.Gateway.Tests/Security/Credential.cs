using System.Net.Http.Headers;
using System.Text;

namespace Waymark.Gateway.Tests.Security;

/// <summary>
/// What a request presents: nothing, a header that is no key, a revoked key, or a live key of a role and a
/// workspace. Each kind is sent as api.md says it is: API keys as Bearer, write keys as Segment sends them.
/// </summary>
internal sealed record Credential(string Name, Tenant? Tenant, string? Role, AuthenticationHeaderValue? Header)
{
    public static readonly string[] Roles = ["write", "viewer", "designer", "approver", "admin"];

    public static Credential None { get; } = new("no key", null, null, null);

    /// <summary>Basic credentials that are not base64: no key can be read from them.</summary>
    public static Credential Malformed { get; } = new("malformed key", null, null, new AuthenticationHeaderValue("Basic", "%%not-base64%%"));

    /// <summary>Every credential that names a workspace's key: revoked, then each role.</summary>
    public static IEnumerable<Credential> Of(Tenant tenant) =>
        Roles.Select(role => new Credential($"{role} of {tenant.Name}", tenant, role, Present(role, tenant.Keys[role])))
            .Prepend(new Credential($"revoked admin key of {tenant.Name}", tenant, null, Present("admin", tenant.RevokedKey)));

    public bool IsKey => Role is not null;

    private static AuthenticationHeaderValue Present(string role, string key) => role == "write"
        ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")))
        : new AuthenticationHeaderValue("Bearer", key);
}
