using Microsoft.AspNetCore.Authorization;

namespace Waymark.Gateway.Auth;

/// <summary>The role table of api.md §6 as authorization policies. A write key holds none of the API roles.</summary>
internal static class Policies
{
    public const string Read = "read";
    public const string Design = "design";
    public const string Approve = "approve";
    public const string Admin = "admin";
    public const string Ingest = "ingest";

    public static void AddWaymarkPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Read, p => p.RequireRole(RoleNames.Viewer, RoleNames.Designer, RoleNames.Approver, RoleNames.Admin))
        .AddPolicy(Design, p => p.RequireRole(RoleNames.Designer, RoleNames.Admin))
        .AddPolicy(Approve, p => p.RequireRole(RoleNames.Approver, RoleNames.Admin))
        .AddPolicy(Admin, p => p.RequireRole(RoleNames.Admin))
        .AddPolicy(Ingest, p => p.RequireRole(RoleNames.Write));
}
