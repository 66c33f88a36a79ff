using System.Collections.Immutable;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>A journey as designers read it: status, draft (canvas JSON), published versions and history.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] JourneyStatus Status,
    [property: Id(3)] JourneyStatus? DraftStatus,
    [property: Id(4)] int? ActiveVersion,
    [property: Id(5)] string? Draft,
    [property: Id(6)] ImmutableArray<JourneyVersionInfo> Versions,
    [property: Id(7)] ImmutableArray<JourneyHistoryEntry> History);

/// <summary>A published version as listed; its content is in <see cref="IJourneyVersionGrain"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyVersionInfo(
    [property: Id(0)] int Version,
    [property: Id(1)] DateTimeOffset PublishedAt,
    [property: Id(2)] string PublishedBy);

/// <summary>One recorded step: who did what, when, with their comment.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyHistoryEntry(
    [property: Id(0)] string Action,
    [property: Id(1)] string By,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Comment,
    [property: Id(4)] int? Version);
