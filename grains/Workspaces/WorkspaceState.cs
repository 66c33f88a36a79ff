using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Workspaces;

public sealed class WorkspaceState
{
    public DateTimeOffset? CreatedAt { get; set; }

    public WorkspaceSettings Settings { get; set; } = WorkspaceSettings.Defaults;

    public string InboxSecret { get; set; } = "";

    /// <summary>Delivery settings, secrets included (the API never returns them).</summary>
    public ChannelSettings Channels { get; set; } = ChannelSettings.None;

    public List<StoredKey> Keys { get; set; } = [];
}

/// <summary>A key as the workspace remembers it: the hash finds its <see cref="IAccessKeyGrain"/> on revocation.</summary>
public sealed record StoredKey(string Id, AccessRole Role, string Name, string Hash, DateTimeOffset CreatedAt)
{
    public KeyInfo ToInfo() => new(Id, Role, Name, CreatedAt);
}
