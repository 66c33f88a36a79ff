using System.Collections.Immutable;
using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Grains.Journeys;

public sealed class JourneyCatalogGrain(
    [PersistentState(GrainStorage.StateNames.JourneyCatalog, GrainStorage.ProviderName)]
    IPersistentState<JourneyCatalogState> state) : Grain, IJourneyCatalogGrain
{
    public async Task Upsert(JourneySummary summary)
    {
        if (state.State.Journeys.TryGetValue(summary.Id, out var known) && known.Revision >= summary.Revision)
        {
            return;
        }

        state.State.Journeys[summary.Id] = summary;
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<JourneySummary>> List() =>
        Task.FromResult(state.State.Journeys.Values.OrderBy(j => j.Id, StringComparer.Ordinal).ToImmutableArray());
}

public sealed class JourneyCatalogState
{
    public Dictionary<string, JourneySummary> Journeys { get; set; } = new(StringComparer.Ordinal);
}
