namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>What a key may do. <see cref="Write"/> keys ingest events; the others are API roles.</summary>
[GenerateSerializer]
public enum AccessRole
{
    Write = 0,
    Viewer = 1,
    Designer = 2,
    Approver = 3,
    Admin = 4,
}
