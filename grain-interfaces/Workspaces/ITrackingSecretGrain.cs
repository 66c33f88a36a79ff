using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>
/// The secret a workspace's tracking tokens are signed with — the unsubscribe links of its emails now, click and open
/// links with the tracking work — keyed by the workspace id. It is a secret of its own, apart from the inbox secret (which
/// apps' backends hold to sign inbox tokens): a holder of the inbox secret cannot forge a link, and neither secret is ever
/// returned by the API. 32 random bytes, made on first use and never changed (a change would break every link sent).
/// </summary>
public interface ITrackingSecretGrain : IGrainWithStringKey
{
    /// <summary>The secret; made and stored by the first call.</summary>
    Task<TrackingSecret> GetOrCreate();

    /// <summary>The secret; null when none was made yet, so checking a token that names an unknown workspace creates nothing.</summary>
    [ReadOnly]
    Task<TrackingSecret?> Find();
}

/// <summary>A workspace's tracking secret, base64url. A record of its own so that its <c>ToString</c>, which Orleans' message tracing prints, leaves it out.</summary>
[GenerateSerializer, Immutable]
public sealed record TrackingSecret([property: Id(0)] string Value)
{
    public override string ToString() => "TrackingSecret { Value = *** }";
}
