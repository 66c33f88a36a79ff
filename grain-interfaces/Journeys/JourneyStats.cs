using System.Collections.Immutable;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>A journey's counts (api.md §3 "stats"): per node, of one version or of all versions together.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyStats([property: Id(0)] ImmutableDictionary<string, NodeStats> Nodes);

/// <summary>The runs that arrived at a node, are there now, moved on, and ended there by reason; entered = current + movedOn + Σ exited.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeStats(
    [property: Id(0)] long Entered,
    [property: Id(1)] long Current,
    [property: Id(2)] long MovedOn,
    [property: Id(3)] ImmutableDictionary<string, long> Exited);
