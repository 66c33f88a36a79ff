namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>What a presented key resolves to: whose it is and what it may do.</summary>
[GenerateSerializer, Immutable]
public sealed record AccessGrant(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] AccessRole Role);
