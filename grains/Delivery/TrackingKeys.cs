using System.Buffers.Text;
using System.Collections.Concurrent;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Delivery;

/// <summary>
/// A process's copy of its workspaces' tracking keys (<see cref="ITrackingSecretGrain"/>). A key never changes, so each is
/// read from its grain once per process and kept; a message costs no grain call after its workspace's first.
/// </summary>
public sealed class TrackingKeys(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, byte[]> keys = new(StringComparer.Ordinal);

    /// <summary>The key to sign the workspace's tokens with; made on the workspace's first token.</summary>
    public async ValueTask<byte[]> SigningKeyAsync(string workspace)
    {
        if (keys.TryGetValue(workspace, out var key))
        {
            return key;
        }

        return keys.GetOrAdd(workspace, Base64Url.DecodeFromChars((await grains.GetGrain<ITrackingSecretGrain>(workspace).GetOrCreate()).Value));
    }

    /// <summary>The key to check a token that names <paramref name="workspace"/>; null when that workspace never signed one.</summary>
    public async ValueTask<byte[]?> VerifyingKeyAsync(string workspace)
    {
        if (keys.TryGetValue(workspace, out var key))
        {
            return key;
        }

        return await grains.GetGrain<ITrackingSecretGrain>(workspace).Find() is { } secret
            ? keys.GetOrAdd(workspace, Base64Url.DecodeFromChars(secret.Value))
            : null;
    }
}
