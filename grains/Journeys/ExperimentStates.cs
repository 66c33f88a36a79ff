using System.Collections.Concurrent;
using System.Collections.Immutable;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Model.Time;

namespace Waymark.Grains.Journeys;

/// <summary>
/// Experiments as a silo's runs read them, so that no customer calls an experiment's grain: a winner is kept for good
/// (it never changes), a test period's end once learnt; the grain is asked on a silo's first arrival at the node and,
/// after the period, at most once a second until it has decided.
/// </summary>
public sealed class ExperimentStates(IGrainFactory grains, WaymarkClock clock)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (ExperimentState State, DateTimeOffset ReadAt)> states = new(StringComparer.Ordinal);

    /// <summary>The winners of <paramref name="journey"/>'s experiments decided so far, by node.</summary>
    public async ValueTask<IReadOnlyDictionary<string, string>> WinnersAsync(string workspace, PublishedJourney journey)
    {
        if (journey.Experiments.Count == 0)
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var winners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in journey.Experiments)
        {
            if (await WinnerAsync(DefinitionKeys.Experiment(workspace, journey.JourneyId, journey.Version, node)) is { } winner)
            {
                winners[node] = winner;
            }
        }

        return winners;
    }

    /// <summary>The experiment's winner; null while it tests (or before this silo saw anyone arrive).</summary>
    public async ValueTask<string?> WinnerAsync(string experimentKey)
    {
        if (!states.TryGetValue(experimentKey, out var known))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (known.State.Winner is null && known.State.EndsAt <= now && now - known.ReadAt >= Recheck)
        {
            known = (await grains.GetGrain<IExperimentGrain>(experimentKey).Read(), now);
            states[experimentKey] = known;
        }

        return known.State.Winner;
    }

    /// <summary>Records an arrival at the experiment's node (the first of all starts the test period); its state.</summary>
    public async ValueTask<ExperimentState> ArriveAsync(string experimentKey, DateTimeOffset at)
    {
        if (states.TryGetValue(experimentKey, out var known) && known.State.StartedAt is not null)
        {
            return known.State;
        }

        var state = await grains.GetGrain<IExperimentGrain>(experimentKey).Arrive(at);
        states[experimentKey] = (state, clock.GetUtcNow());
        return state;
    }
}
