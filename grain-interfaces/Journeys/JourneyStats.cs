using System.Collections.Immutable;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// A journey's counts (api.md §3 "stats"), of one version or of all versions together: per node, per send node's
/// messages, and the goal's conversions with the lift of each split branch over the control branch.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneyStats(
    [property: Id(0)] ImmutableDictionary<string, NodeStats> Nodes,
    [property: Id(1)] ImmutableDictionary<string, SendStats> Messages,
    [property: Id(2)] GoalStats? Goal);

/// <summary>The runs that arrived at a node, are there now, moved on, and ended there by reason; entered = current + movedOn + Σ exited.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeStats(
    [property: Id(0)] long Entered,
    [property: Id(1)] long Current,
    [property: Id(2)] long MovedOn,
    [property: Id(3)] ImmutableDictionary<string, long> Exited);

/// <summary>A send node's messages: all of them, each variant's, and its experiment when it has one.</summary>
[GenerateSerializer, Immutable]
public sealed record SendStats(
    [property: Id(0)] MessageStats All,
    [property: Id(1)] ImmutableDictionary<string, MessageStats> Variants,
    [property: Id(2)] ExperimentStats? Experiment);

/// <summary>What became of messages; <see cref="Failed"/> includes bounces.</summary>
[GenerateSerializer, Immutable]
public sealed record MessageStats(
    [property: Id(0)] long Sent,
    [property: Id(1)] ImmutableDictionary<string, long> Suppressed,
    [property: Id(2)] long Delivered,
    [property: Id(3)] long Failed,
    [property: Id(4)] long Opened,
    [property: Id(5)] long Clicked,
    [property: Id(6)] long Unsubscribed);

/// <summary>An experiment's state: <c>testing</c>, or <c>decided</c> with its <see cref="Winner"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentStats([property: Id(0)] string Status, [property: Id(1)] string? Winner);

/// <summary>The goal's conversions: of every run, of each split branch (with lift over <c>control</c>) and of each variant sent.</summary>
[GenerateSerializer, Immutable]
public sealed record GoalStats(
    [property: Id(0)] long Entries,
    [property: Id(1)] long Converted,
    [property: Id(2)] double Rate,
    [property: Id(3)] ImmutableDictionary<string, GroupStats> Branches,
    [property: Id(4)] ImmutableDictionary<string, GroupStats> Variants);

/// <summary>One group's conversions; the lift and its 95% interval only for a branch beside a control branch that converted.</summary>
[GenerateSerializer, Immutable]
public sealed record GroupStats(
    [property: Id(0)] long Entries,
    [property: Id(1)] long Converted,
    [property: Id(2)] double Rate,
    [property: Id(3)] double? Lift,
    [property: Id(4)] double? LiftLow,
    [property: Id(5)] double? LiftHigh);
