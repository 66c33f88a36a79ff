using Orleans.Concurrency;
namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>
/// One issued key, found by the key itself: the grain key is the lowercase hex SHA-256 of the secret
/// (<see cref="AccessKeyHash"/>), so authenticating a request needs neither a scan nor a shared grain,
/// and the secret is never stored.
/// </summary>
public interface IAccessKeyGrain : IGrainWithStringKey
{
    /// <summary>The grant, or null for an unknown or revoked key.</summary>
    [ReadOnly]
    Task<AccessGrant?> Resolve();

    Task Grant(AccessGrant grant);

    Task Revoke();
}
