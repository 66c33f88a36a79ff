using Waymark.GrainInterfaces.Customers;

namespace Waymark.Grains.Customers;

public sealed class IdentityGrain(
    [PersistentState(GrainStorage.StateNames.Identity, GrainStorage.ProviderName)]
    IPersistentState<IdentityState> state) : Grain, IIdentityGrain
{
    public async Task<string> Claim(string customerKey)
    {
        if (state.State.Holder is { } holder)
        {
            return holder;
        }

        await Assign(customerKey);
        return customerKey;
    }

    public async Task Assign(string customerKey)
    {
        if (state.State.Holder != customerKey)
        {
            state.State.Holder = customerKey;
            await state.WriteStateAsync();
        }
    }

    public async Task Release(IReadOnlyCollection<string> customerKeys)
    {
        if (state.State.Holder is { } holder && customerKeys.Contains(holder))
        {
            await state.ClearStateAsync();
        }
    }

    public Task<string?> Holder() => Task.FromResult(state.State.Holder);
}

public sealed class IdentityState
{
    public string? Holder { get; set; }
}
