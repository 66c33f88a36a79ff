using System.Collections.Immutable;
using Orleans.Concurrency;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Analysis;
using Waymark.Engine.Journeys;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Journeys;

/// <summary>Any silo reads a journey's counts from the totals the customers' writes feed (<see cref="JourneyCounters"/>).</summary>
[StatelessWorker]
public sealed class JourneyStatsGrain(ICountStore counts, JourneyVersionCache versions) : Grain, IJourneyStatsGrain
{
    /// <summary>The split branch lift is measured against (canvas.md).</summary>
    private const string ControlBranch = "control";

    public async Task<Outcome<JourneyStats>> Read(int? version)
    {
        var (workspace, journeyId) = DefinitionKeys.Split(this.GetPrimaryKeyString());
        if (await Shown(version) is not { } shown)
        {
            return Outcome.Refused<JourneyStats>(OutcomeKind.NotFound, NotFound(journeyId, version));
        }

        var totals = await counts.ReadAsync(workspace, journeyId, version, from: null, to: null);
        return Outcome.Done(await Stats(workspace, totals, shown.Published));
    }

    public async Task<Outcome<ImmutableArray<JourneyStatsPoint>>> Series(int? version, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket)
    {
        var (workspace, journeyId) = DefinitionKeys.Split(this.GetPrimaryKeyString());
        if (await Shown(version) is not { } shown)
        {
            return Outcome.Refused<ImmutableArray<JourneyStatsPoint>>(OutcomeKind.NotFound, NotFound(journeyId, version));
        }

        var start = CountDelta.BucketOf(from);
        var totals = await counts.ReadAsync(workspace, journeyId, version, start, to);
        var points = ImmutableArray.CreateBuilder<JourneyStatsPoint>();
        for (var at = start; at < to; at += bucket)
        {
            var end = at + bucket;
            points.Add(new JourneyStatsPoint(at, await Stats(workspace, totals.Where(t => t.Bucket >= at && t.Bucket < end), shown.Published)));
        }

        return Outcome.Done(points.ToImmutable());
    }

    /// <summary>
    /// The journey's version whose nodes the stats list (the one asked, else the latest); null when the journey or the
    /// version asked does not exist. Every node of it is listed, those no run reached with zeros.
    /// </summary>
    private async Task<ShownVersion?> Shown(int? version)
    {
        var (workspace, journeyId) = DefinitionKeys.Split(this.GetPrimaryKeyString());
        if (await GrainFactory.GetGrain<IJourneyGrain>(this.GetPrimaryKeyString()).Describe() is not { } journey
            || (version is { } asked && !journey.Versions.Any(v => v.Version == asked)))
        {
            return null;
        }

        var shown = version ?? (journey.Versions.IsDefaultOrEmpty ? null : journey.Versions.Max(v => v.Version));
        return new ShownVersion(shown is { } number ? await versions.GetAsync(workspace, journeyId, number) : null);
    }

    private static string NotFound(string journeyId, int? version) =>
        version is { } asked ? $"No journey '{journeyId}' with a version {asked} in this workspace." : $"No journey '{journeyId}' in this workspace.";

    private async Task<JourneyStats> Stats(string workspace, IEnumerable<CountTotal> counted, PublishedJourney? published)
    {
        var totals = JourneyCounters.Read(counted.Select(t => (t.Counter, t.Value)));
        var nodes = (published?.Definition.Nodes.Select(n => n.Id) ?? []).Union(totals.Nodes.Nodes.Keys, StringComparer.Ordinal);
        return new JourneyStats(
            nodes.ToImmutableDictionary(node => node, node => Stats(totals.Nodes[node]), StringComparer.Ordinal),
            await Messages(workspace, totals, published),
            published?.Definition.Goal is null && totals.Goal.Entries == 0 ? null : Goal(totals));
    }

    private async Task<ImmutableDictionary<string, SendStats>> Messages(string workspace, CounterTotals totals, PublishedJourney? published)
    {
        var sendNodes = (published?.Definition.Nodes.OfType<SendNode>().Select(n => n.Id) ?? []).Union(totals.Messages.Select(m => m.Node), StringComparer.Ordinal);
        var messages = ImmutableDictionary.CreateBuilder<string, SendStats>(StringComparer.Ordinal);
        foreach (var node in sendNodes)
        {
            var ofNode = totals.Messages.Where(m => m.Node == node).ToList();
            var variants = ofNode.Where(m => m.Variant is not null).Select(m => m.Variant!).Distinct(StringComparer.Ordinal)
                .ToImmutableDictionary(v => v, v => Outcomes(ofNode.Where(m => m.Variant == v)), StringComparer.Ordinal);
            var experiment = published is not null && published.Experiments.Contains(node)
                ? await GrainFactory.GetGrain<IExperimentGrain>(DefinitionKeys.Experiment(workspace, published.JourneyId, published.Version, node)).Read()
                : null;
            messages[node] = new SendStats(
                Outcomes(ofNode),
                variants,
                experiment is null ? null : new ExperimentStats(experiment.Winner is null ? "testing" : "decided", experiment.Winner));
        }

        return messages.ToImmutable();
    }

    private static MessageStats Outcomes(IEnumerable<(string Node, string? Variant, string Outcome, long Value)> counters)
    {
        var all = counters.ToList();
        long Sum(string outcome) => all.Where(c => c.Outcome == outcome).Sum(c => c.Value);
        const string suppressed = "suppressed/";
        return new MessageStats(
            Sum(JourneyCounters.Sent),
            all.Where(c => c.Outcome.StartsWith(suppressed, StringComparison.Ordinal))
                .GroupBy(c => c.Outcome[suppressed.Length..], StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal),
            Sum(JourneyCounters.Delivered),
            Sum(JourneyCounters.Failed),
            Sum(JourneyCounters.Opened),
            Sum(JourneyCounters.Clicked),
            Sum(JourneyCounters.Unsubscribed));
    }

    private static GoalStats Goal(CounterTotals totals)
    {
        var control = totals.Branches.GetValueOrDefault(ControlBranch);
        GroupStats Group(Conversion group, bool againstControl) =>
            (againstControl ? Lift.Of(group, control) : null) is { } lift
                ? new GroupStats(group.Entries, group.Converted, group.Rate, lift.Value, lift.Low, lift.High)
                : new GroupStats(group.Entries, group.Converted, group.Rate, null, null, null);

        return new GoalStats(
            totals.Goal.Entries,
            totals.Goal.Converted,
            totals.Goal.Rate,
            totals.Branches.ToImmutableDictionary(b => b.Key, b => Group(b.Value, b.Key != ControlBranch), StringComparer.Ordinal),
            totals.Variants.ToImmutableDictionary(v => v.Key, v => Group(v.Value, againstControl: false), StringComparer.Ordinal));
    }

    private static NodeStats Stats(NodeCount count) => new(count.Entered, count.Current, count.MovedOn, count.Exited);

    /// <summary>The version a journey's stats list the nodes of; null <see cref="Published"/> for a journey never published.</summary>
    private sealed record ShownVersion(PublishedJourney? Published);
}
