using System.Collections.Immutable;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Grains.Workspaces;

public sealed class WorkspaceGrain(
    [PersistentState(GrainStorage.StateNames.Workspace, GrainStorage.ProviderName)]
    IPersistentState<WorkspaceState> state,
    WaymarkClock clock) : Grain, IWorkspaceGrain
{
    private string Id => this.GetPrimaryKeyString();

    private bool Exists => state.State.CreatedAt is not null;

    public async Task<CreatedWorkspace?> Create(string? writeKeySecret, string? adminKeySecret)
    {
        if (Exists)
        {
            return null;
        }

        var writeKey = writeKeySecret ?? KeySecrets.WriteKey();
        var adminKey = adminKeySecret ?? KeySecrets.ApiKey();
        state.State.InboxSecret = KeySecrets.InboxSecret();
        await AddKey(AccessRole.Write, "write", writeKey, persist: false);
        await AddKey(AccessRole.Admin, "admin", adminKey, persist: false);
        state.State.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return new CreatedWorkspace(Id, writeKey, adminKey, state.State.InboxSecret);
    }

    public Task<WorkspaceView?> Describe() =>
        Task.FromResult(Exists ? new WorkspaceView(Id, state.State.Settings, state.State.InboxSecret) : null);

    public async Task<WorkspaceSettings> UpdateSettings(WorkspaceSettings settings)
    {
        EnsureExists();
        state.State.Settings = settings;
        await state.WriteStateAsync();
        return settings;
    }

    public Task<ChannelSettings> Channels() => Task.FromResult(state.State.Channels);

    public async Task SetHttpChannel(HttpChannelKind channel, HttpChannelSettings settings)
    {
        EnsureExists();
        state.State.Channels = state.State.Channels.WithHttp(channel, settings);
        await state.WriteStateAsync();
    }

    public async Task SetEmailChannel(EmailChannelSettings settings)
    {
        EnsureExists();
        state.State.Channels = state.State.Channels with { Email = settings };
        await state.WriteStateAsync();
    }

    public async Task<IssuedKey> IssueKey(AccessRole role, string name)
    {
        EnsureExists();
        var secret = role == AccessRole.Write ? KeySecrets.WriteKey() : KeySecrets.ApiKey();
        var key = await AddKey(role, name, secret, persist: true);
        return new IssuedKey(key.ToInfo(), secret);
    }

    public async Task<KeyInfo> ImportKey(AccessRole role, string name, string secret)
    {
        EnsureExists();
        var hash = AccessKeyHash.Of(secret);
        var known = state.State.Keys.Find(k => k.Hash == hash);
        return (known ?? await AddKey(role, name, secret, persist: true)).ToInfo();
    }

    public Task<ImmutableArray<KeyInfo>> ListKeys() =>
        Task.FromResult(state.State.Keys.Select(k => k.ToInfo()).ToImmutableArray());

    public async Task<RevokedKey?> RevokeKey(string keyId)
    {
        var key = state.State.Keys.Find(k => k.Id == keyId);
        if (key is null)
        {
            return null;
        }

        // Revoke the grant before forgetting the key: a crash in between leaves a listed key to revoke again, never a live unlisted one.
        await GrainFactory.GetGrain<IAccessKeyGrain>(key.Hash).Revoke();
        state.State.Keys.Remove(key);
        await state.WriteStateAsync();
        return new RevokedKey(key.Id, key.Hash);
    }

    /// <summary>Grants first, records second: a crash in between leaves at most an orphan grant for a secret nobody was shown.</summary>
    private async Task<StoredKey> AddKey(AccessRole role, string name, string secret, bool persist)
    {
        var key = new StoredKey(KeySecrets.KeyId(), role, name, AccessKeyHash.Of(secret), clock.GetUtcNow());
        await GrainFactory.GetGrain<IAccessKeyGrain>(key.Hash).Grant(new AccessGrant(Id, key.Id, role));
        state.State.Keys.Add(key);
        if (persist)
        {
            await state.WriteStateAsync();
        }

        return key;
    }

    private void EnsureExists()
    {
        if (!Exists)
        {
            throw new InvalidOperationException($"Workspace '{Id}' does not exist.");
        }
    }
}
