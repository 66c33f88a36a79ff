using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Gateway.Auth;

/// <summary>The role names of api.md §6 as they appear on the wire and in claims.</summary>
internal static class RoleNames
{
    public const string Write = "write";
    public const string Viewer = "viewer";
    public const string Designer = "designer";
    public const string Approver = "approver";
    public const string Admin = "admin";

    public static string Of(AccessRole role) => role switch
    {
        AccessRole.Write => Write,
        AccessRole.Viewer => Viewer,
        AccessRole.Designer => Designer,
        AccessRole.Approver => Approver,
        AccessRole.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static AccessRole? Parse(string? name) => name switch
    {
        Write => AccessRole.Write,
        Viewer => AccessRole.Viewer,
        Designer => AccessRole.Designer,
        Approver => AccessRole.Approver,
        Admin => AccessRole.Admin,
        _ => null,
    };
}
