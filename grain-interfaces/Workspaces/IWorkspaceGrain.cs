using System.Collections.Immutable;
using System.Text;
using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Workspaces;

/// <summary>
/// A tenant: its settings and the directory of its keys. Keyed by workspace id. Never on a per-event
/// path: requests authenticate through <see cref="IAccessKeyGrain"/>, and hot paths cache settings.
/// </summary>
public interface IWorkspaceGrain : IGrainWithStringKey
{
    /// <summary>Creates the workspace with a first write key and admin key (generated where not given); null when it exists already.</summary>
    Task<CreatedWorkspace?> Create(string? writeKeySecret, string? adminKeySecret);

    /// <summary>Null when the workspace does not exist.</summary>
    [ReadOnly]
    Task<WorkspaceView?> Describe();

    Task<WorkspaceSettings> UpdateSettings(WorkspaceSettings settings);

    /// <summary>The delivery settings of every channel, secrets included: for the silo's channels, never for an API answer.</summary>
    [ReadOnly]
    Task<ChannelSettings> Channels();

    /// <summary>Replaces the settings of the webhook, sms or push channel.</summary>
    Task SetHttpChannel(HttpChannelKind channel, HttpChannelSettings settings);

    /// <summary>Replaces the settings of the email channel.</summary>
    Task SetEmailChannel(EmailChannelSettings settings);

    Task<IssuedKey> IssueKey(AccessRole role, string name);

    /// <summary>Adds a key whose secret the operator chose (bootstrap configuration); idempotent per secret.</summary>
    Task<KeyInfo> ImportKey(AccessRole role, string name, string secret);

    [ReadOnly]
    Task<ImmutableArray<KeyInfo>> ListKeys();

    /// <summary>Null when the workspace has no key with that id.</summary>
    Task<RevokedKey?> RevokeKey(string keyId);
}

[GenerateSerializer, Immutable]
public sealed record CreatedWorkspace(
    [property: Id(0)] string Id,
    [property: Id(1)] string WriteKey,
    [property: Id(2)] string AdminKey,
    [property: Id(3)] string InboxSecret)
{
    /// <summary>Leaves the keys and the inbox secret out of <c>ToString</c>, which Orleans' message tracing prints.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", WriteKey = ***, AdminKey = ***, InboxSecret = ***");
        return true;
    }
}
