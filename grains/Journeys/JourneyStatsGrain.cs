using System.Collections.Immutable;
using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Journeys;

/// <summary>Any silo reads a journey's counts from the totals the customers' writes feed (<see cref="JourneyCounters"/>).</summary>
[StatelessWorker]
public sealed class JourneyStatsGrain(ICountStore counts, JourneyVersionCache versions) : Grain, IJourneyStatsGrain
{
    public async Task<Outcome<JourneyStats>> Read(int? version)
    {
        var (workspace, journeyId) = DefinitionKeys.Split(this.GetPrimaryKeyString());
        if (await GrainFactory.GetGrain<IJourneyGrain>(this.GetPrimaryKeyString()).Describe() is not { } journey)
        {
            return Outcome.Refused<JourneyStats>(OutcomeKind.NotFound, $"No journey '{journeyId}' in this workspace.");
        }

        if (version is { } asked && !journey.Versions.Any(v => v.Version == asked))
        {
            return Outcome.Refused<JourneyStats>(OutcomeKind.NotFound, $"Journey '{journeyId}' has no version {asked}.");
        }

        var totals = await counts.ReadAsync(workspace, journeyId, version, from: null, to: null);
        var counted = JourneyCounters.Nodes(totals.Select(t => (t.Counter, t.Value)));

        // Every node of the version shown is listed, those no run reached yet with zeros.
        var shown = version ?? (journey.Versions.IsDefaultOrEmpty ? null : journey.Versions.Max(v => v.Version));
        var definition = shown is { } number ? (await versions.GetAsync(workspace, journeyId, number))?.Definition : null;
        var nodes = (definition?.Nodes.Select(n => n.Id) ?? []).Union(counted.Nodes.Keys, StringComparer.Ordinal);
        return Outcome.Done(new JourneyStats(nodes.ToImmutableDictionary(node => node, node => Stats(counted[node]), StringComparer.Ordinal)));
    }

    private static NodeStats Stats(Engine.Journeys.NodeCount count) => new(count.Entered, count.Current, count.MovedOn, count.Exited);
}
