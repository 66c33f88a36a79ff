using System.Buffers.Text;
using System.Security.Cryptography;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Delivery;

/// <summary>A workspace's tracking secret (<see cref="ITrackingSecretGrain"/>): 32 random bytes, stored once.</summary>
public sealed class TrackingSecretGrain(
    [PersistentState(GrainStorage.StateNames.TrackingSecret, GrainStorage.ProviderName)]
    IPersistentState<TrackingSecretState> state) : Grain, ITrackingSecretGrain
{
    public async Task<TrackingSecret> GetOrCreate()
    {
        if (state.State.Secret is null)
        {
            state.State.Secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            await state.WriteStateAsync();
        }

        return new TrackingSecret(state.State.Secret);
    }

    public Task<TrackingSecret?> Find() => Task.FromResult(state.State.Secret is { } secret ? new TrackingSecret(secret) : null);
}

/// <summary>The stored secret; null until first used.</summary>
public sealed class TrackingSecretState
{
    public string? Secret { get; set; }
}
