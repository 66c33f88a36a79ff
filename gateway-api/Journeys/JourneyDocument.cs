using System.Collections.Immutable;
using System.Text.Json;
using Waymark.Gateway.Definitions;
using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Gateway.Journeys;

/// <summary>A journey as api.md §3 shows it; <c>draftStatus</c> tells where an edited draft of a running journey stands.</summary>
public sealed record JourneyDocument(
    string Id,
    string Name,
    string Status,
    string? DraftStatus,
    int? ActiveVersion,
    JsonElement? Draft,
    ImmutableArray<JourneyVersionInfo> Versions,
    ImmutableArray<JourneyHistoryEntry> History)
{
    public static JourneyDocument From(JourneyView view) => new(
        view.Id,
        view.Name,
        StatusName(view.Status),
        view.DraftStatus is { } draft ? StatusName(draft) : null,
        view.ActiveVersion,
        view.Draft is { } canvas ? StoredJson.Parse(canvas) : null,
        view.Versions,
        view.History);

    /// <summary>Statuses as the contract spells them: <c>pending_approval</c>.</summary>
    public static string StatusName(JourneyStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}

/// <summary>A published version: its canvas, the stored templates copied into it, and who published and approved it.</summary>
public sealed record JourneyVersionDocument(
    string Id,
    int Version,
    DateTimeOffset PublishedAt,
    string PublishedBy,
    string ApprovedBy,
    JsonElement Canvas,
    IReadOnlyDictionary<string, JsonElement> Templates)
{
    public static JourneyVersionDocument From(JourneyVersion version) => new(
        version.JourneyId,
        version.Version,
        version.PublishedAt,
        version.PublishedBy,
        version.ApprovedBy,
        StoredJson.Parse(version.Canvas),
        version.Templates.ToDictionary(t => t.Key, t => StoredJson.Parse(t.Value), StringComparer.Ordinal));
}
