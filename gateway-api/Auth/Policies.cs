using Microsoft.AspNetCore.Authorization;
using Waymark.Gateway.Workspaces;

namespace Waymark.Gateway.Auth;

/// <summary>The role table of api.md §6 as authorization policies. A write key holds none of the API roles.</summary>
internal static class Policies
{
    public const string Read = "read";
    public const string Design = "design";
    public const string Approve = "approve";
    public const string Admin = "admin";
    public const string Ingest = "ingest";

    /// <summary>
    /// The deployment's operations (dashboard, metrics) show every workspace's grains, reminders and logs, so they are
    /// for the operator: an admin of the bootstrap workspace, not of a tenant workspace created since.
    /// </summary>
    public const string Operate = "operate";

    public static void AddWaymarkPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Read, p => p.RequireRole(RoleNames.Viewer, RoleNames.Designer, RoleNames.Approver, RoleNames.Admin))
        .AddPolicy(Design, p => p.RequireRole(RoleNames.Designer, RoleNames.Admin))
        .AddPolicy(Approve, p => p.RequireRole(RoleNames.Approver, RoleNames.Admin))
        .AddPolicy(Admin, p => p.RequireRole(RoleNames.Admin))
        .AddPolicy(Ingest, p => p.RequireRole(RoleNames.Write))
        .AddPolicy(Operate, p => p.RequireRole(RoleNames.Admin).RequireClaim(WaymarkClaims.Workspace, BootstrapOptions.Workspace));
}
