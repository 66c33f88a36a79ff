using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Grains.Journeys;

public sealed class JourneyLimitGrain(
    [PersistentState(GrainStorage.StateNames.JourneyLimit, GrainStorage.ProviderName)]
    IPersistentState<JourneyLimitState> state) : Grain, IJourneyLimitGrain
{
    /// <summary>Recent entries remembered so a retry finds its place; a retry comes within seconds, not thousands of entries later.</summary>
    private const int RememberedEntries = 256;

    public async Task<bool> TryTake(long limit, string entryId)
    {
        if (state.State.Recent.Contains(entryId))
        {
            return true;
        }

        if (state.State.Taken >= limit)
        {
            return false;
        }

        state.State.Taken++;
        state.State.Recent.Add(entryId);
        if (state.State.Recent.Count > RememberedEntries)
        {
            state.State.Recent.RemoveAt(0);
        }

        await state.WriteStateAsync();
        return true;
    }
}

/// <summary>Places taken, and the latest entries that took one.</summary>
public sealed class JourneyLimitState
{
    public long Taken { get; set; }

    public List<string> Recent { get; set; } = [];
}
