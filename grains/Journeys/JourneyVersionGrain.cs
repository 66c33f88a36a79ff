using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Grains.Journeys;

public sealed class JourneyVersionGrain(
    [PersistentState(GrainStorage.StateNames.JourneyVersion, GrainStorage.ProviderName)]
    IPersistentState<JourneyVersionState> state) : Grain, IJourneyVersionGrain
{
    public async Task Store(JourneyVersion version)
    {
        state.State.Version = version;
        await state.WriteStateAsync();
    }

    public Task<JourneyVersion?> Get() => Task.FromResult(state.State.Version);
}

public sealed class JourneyVersionState
{
    public JourneyVersion? Version { get; set; }
}
