using System.Security.Claims;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Gateway.Auth;

/// <summary>What an authenticated key carries: its workspace, its id and its role.</summary>
internal static class WaymarkClaims
{
    public const string Workspace = "waymark:workspace";
    public const string KeyId = "waymark:key";

    public static ClaimsPrincipal ToPrincipal(AccessGrant grant, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(Workspace, grant.WorkspaceId),
                new Claim(KeyId, grant.KeyId),
                new Claim(ClaimTypes.Role, RoleNames.Of(grant.Role)),
            ],
            scheme));

    /// <summary>The caller's workspace: every handler scopes its work by this, never by anything in the request.</summary>
    public static string WorkspaceId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Workspace) ?? throw new InvalidOperationException("The request is not authenticated with a key.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(RoleNames.Admin);
}
