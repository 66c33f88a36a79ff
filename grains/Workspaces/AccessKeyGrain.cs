using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Workspaces;

public sealed class AccessKeyGrain(
    [PersistentState(GrainStorage.StateNames.AccessKey, GrainStorage.ProviderName)]
    IPersistentState<AccessKeyState> state) : Grain, IAccessKeyGrain
{
    public Task<AccessGrant?> Resolve() => Task.FromResult(state.State.Grant);

    public async Task Grant(AccessGrant grant)
    {
        // A secret granted to another workspace must never be rebound: that would hand one tenant's key to another.
        // Within one workspace a re-grant is a retry after a crash and simply wins.
        if (state.State.Grant is { } existing && existing.WorkspaceId != grant.WorkspaceId)
        {
            throw new InvalidOperationException("This key secret is already in use.");
        }

        state.State.Grant = grant;
        await state.WriteStateAsync();
    }

    public Task Revoke() => state.ClearStateAsync();
}

public sealed class AccessKeyState
{
    public AccessGrant? Grant { get; set; }
}
