using System.Net;

namespace Waymark.Gateway.Tests.Security;

/// <summary>Who may call an endpoint: a row of the role table (api.md §6), or a credential of its own.</summary>
internal enum Access
{
    /// <summary>The request carries its own credential (a signed token) or none is needed: any key, or none, is the same.</summary>
    Anyone,

    /// <summary>Ingestion, the inbox and message events: a write key; an API key of any role is refused.</summary>
    WriteKey,

    Read,
    Design,
    Approve,
    Admin,

    /// <summary>The deployment's operations (dashboard, metrics): an admin of the bootstrap workspace <c>default</c>.</summary>
    Operator,
}

/// <summary>
/// What one endpoint answers: <see cref="Allowed"/> to a key of the target workspace whose role the endpoint admits,
/// <see cref="Elsewhere"/> to such a key of the other workspace (404 where the request names a thing of the target,
/// "exactly as if the thing did not exist"; the caller's own answer where it names only the caller's workspace),
/// 403 to any other key, 401 to no key, a malformed one or a revoked one.
/// </summary>
/// <param name="Route">The method and route pattern, as the endpoint data source lists it.</param>
/// <param name="Request">Builds the request a probe sends; it names the target workspace's things.</param>
/// <param name="Streams">The answer is an endless stream: a probe reads its status and headers only.</param>
/// <param name="AdminSeesInboxSecret">api.md §6: the settings show admins their own workspace's inbox secret.</param>
internal sealed record Expectation(
    string Route,
    Access Access,
    HttpStatusCode Allowed,
    HttpStatusCode Elsewhere,
    Func<Probe, Task<HttpRequestMessage>> Request,
    bool Streams = false,
    bool AdminSeesInboxSecret = false)
{
    /// <summary>The workspace whose admins operate the deployment: the one a first start creates.</summary>
    public const string OperatorWorkspace = "default";

    public bool Admits(Credential credential) => Access switch
    {
        Access.Anyone => true,
        Access.WriteKey => credential.Role == "write",
        Access.Read => credential.Role is "viewer" or "designer" or "approver" or "admin",
        Access.Design => credential.Role is "designer" or "admin",
        Access.Approve => credential.Role is "approver" or "admin",
        Access.Admin => credential.Role == "admin",
        Access.Operator => credential.Role == "admin" && credential.Tenant?.Id == OperatorWorkspace,
        _ => throw new ArgumentOutOfRangeException(nameof(credential), Access, null),
    };

    /// <summary>What <paramref name="credential"/> gets when the request names <paramref name="target"/>'s things.</summary>
    public HttpStatusCode Expected(Credential credential, Tenant target) =>
        Access == Access.Anyone ? Allowed
        : !credential.IsKey ? HttpStatusCode.Unauthorized
        : !Admits(credential) ? HttpStatusCode.Forbidden
        : credential.Tenant == target ? Allowed
        : Elsewhere;
}

/// <summary>One request of the matrix: a credential aimed at the target workspace's things.</summary>
internal sealed class Probe(TwoWorkspaces drill, Credential credential, Tenant target, bool changes)
{
    public TwoWorkspaces Drill => drill;

    public Credential Credential => credential;

    public Tenant Target => target;

    /// <summary>
    /// The request will take effect (a key of the target that the endpoint admits): it is given things of its own to
    /// erase, delete or move on, so the shared ones stay as every other probe expects them.
    /// </summary>
    public bool Changes => changes;

    /// <summary>Whose inbox token the request carries: the caller's workspace's, else the target's.</summary>
    public Tenant TokenIssuer => credential.Tenant ?? target;
}
