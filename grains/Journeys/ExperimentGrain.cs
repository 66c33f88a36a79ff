using Waymark.Definitions.Journeys;
using Waymark.Engine.Analysis;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Model.Time;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Journeys;

/// <summary>
/// Starts an experiment's test period at the first arrival and, once it is over, picks the variant with the best rate
/// of its metric from the version's counters (<see cref="ExperimentWinner"/>) — once, for good.
/// </summary>
public sealed class ExperimentGrain(
    [PersistentState(GrainStorage.StateNames.Experiment, GrainStorage.ProviderName)]
    IPersistentState<ExperimentState> state,
    JourneyVersionCache versions,
    ICountStore counts,
    WaymarkClock clock) : Grain, IExperimentGrain
{
    /// <summary>
    /// How long after the test period the decision waits, so the period's last sends and clicks have reached the
    /// counters' totals (they are flushed about once a second).
    /// </summary>
    public static readonly TimeSpan Settling = TimeSpan.FromSeconds(5);

    public async Task<ExperimentState> Arrive(DateTimeOffset at)
    {
        if (state.State.StartedAt is null && await Experiment() is (_, { } experiment))
        {
            state.State = new ExperimentState(at, at + experiment.Duration, null);
            await state.WriteStateAsync();
        }

        return state.State;
    }

    public async Task<ExperimentState> Read()
    {
        if (state.State is { Winner: null, EndsAt: { } endsAt } && clock.GetUtcNow() >= endsAt + Settling && await Experiment() is ({ } content, { } experiment))
        {
            state.State = state.State with { Winner = await Decide(content, experiment) };
            await state.WriteStateAsync();
        }

        return state.State;
    }

    private async Task<string> Decide(VariantContent content, Experiment experiment)
    {
        var (workspace, journeyId, version, node) = DefinitionKeys.SplitExperiment(this.GetPrimaryKeyString());
        var totals = JourneyCounters.Read((await counts.ReadAsync(workspace, journeyId, version, from: null, to: null)).Select(t => (t.Counter, t.Value)));
        Conversion Result(string variant)
        {
            if (experiment.Metric == ExperimentMetric.Goal)
            {
                return totals.Variants.GetValueOrDefault(variant);
            }

            long Outcome(string outcome) => totals.Messages.Where(m => m.Node == node && m.Variant == variant && m.Outcome == outcome).Sum(m => m.Value);
            return new Conversion(Outcome(JourneyCounters.Sent), Outcome(experiment.Metric == ExperimentMetric.Click ? JourneyCounters.Clicked : JourneyCounters.Opened));
        }

        return ExperimentWinner.Pick([.. content.Variants.Select(v => v.Name)], Result);
    }

    /// <summary>The node's variants and experiment as published; null when the node has none (a key no runtime makes).</summary>
    private async Task<(VariantContent Content, Experiment Experiment)?> Experiment()
    {
        var (workspace, journeyId, version, node) = DefinitionKeys.SplitExperiment(this.GetPrimaryKeyString());
        var published = await versions.GetAsync(workspace, journeyId, version);
        return published?.Definition.Nodes.FirstOrDefault(n => n.Id == node) is SendNode { Content: VariantContent { Experiment: { } experiment } content }
            ? (content, experiment)
            : null;
    }
}
