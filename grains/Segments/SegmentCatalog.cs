using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodaTime;
using Waymark.Definitions;
using Waymark.Definitions.Segments;
using Waymark.Engine.Segments;
using Waymark.GrainInterfaces.Segments;
using Waymark.Grains.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Grains.Segments;

/// <summary>
/// The workspaces' segments as a silo's customers evaluate them: parsed once and ordered for evaluation
/// (<see cref="SegmentSet"/>). At most one library call per workspace and refresh period per silo; the silo that saves
/// a segment refreshes at once, the others within the period, and a backfill's visit reloads a copy older than the
/// library it was started for.
/// </summary>
public sealed partial class SegmentCatalog
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory grains;
    private readonly WorkspaceSettingsCache settings;
    private readonly WaymarkClock clock;
    private readonly ILogger<SegmentCatalog> logger;
    private readonly WorkspaceCache<WorkspaceSegments> cache;

    public SegmentCatalog(IGrainFactory grains, WorkspaceSettingsCache settings, WaymarkClock clock, ILogger<SegmentCatalog> logger)
    {
        (this.grains, this.settings, this.clock, this.logger) = (grains, settings, clock, logger);
        cache = new(LoadAsync, clock, RefreshPeriod);
    }

    /// <summary>
    /// The workspace's segments, at library generation <paramref name="generation"/> or later: a backfill runs as soon
    /// as a segment is saved, before this silo's copy may have heard of it, and a customer refreshed against an older
    /// copy would be passed over.
    /// </summary>
    public async Task<WorkspaceSegments> GetAsync(string workspace, long generation = 0)
    {
        var segments = await cache.GetAsync(workspace);
        if (segments.Generation >= generation)
        {
            return segments;
        }

        cache.Invalidate(workspace);
        return await cache.GetAsync(workspace);
    }

    public void Invalidate(string workspace) => cache.Invalidate(workspace);

    private async Task<WorkspaceSegments> LoadAsync(string workspace)
    {
        var catalog = await grains.GetGrain<ISegmentLibraryGrain>(workspace).Catalog();
        var context = DefinitionContext.Empty(Instant.FromDateTimeOffset(clock.GetUtcNow())) with
        {
            Segments = catalog.Segments.ToDictionary(s => s.Id, _ => (IReadOnlySet<string>)ImmutableHashSet<string>.Empty, StringComparer.Ordinal),
        };
        var definitions = new Dictionary<string, SegmentDefinition>(StringComparer.Ordinal);
        foreach (var segment in catalog.Segments)
        {
            using var body = JsonDocument.Parse(segment.Body);
            if (SegmentReader.Read(segment.Id, body.RootElement, context).Value is { } definition)
            {
                definitions[segment.Id] = definition;
            }
            else
            {
                LogUnreadable(logger, workspace, segment.Id); // validated when saved: only a rule change of the language gets here
            }
        }

        return new WorkspaceSegments(
            catalog.Generation,
            catalog.Segments.Where(s => definitions.ContainsKey(s.Id)).ToImmutableSortedDictionary(s => s.Id, s => s, StringComparer.Ordinal),
            new SegmentSet(definitions.ToDictionary(d => d.Key, d => d.Value.Where, StringComparer.Ordinal), (await settings.GetAsync(workspace)).RfmWindow));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Segment {Segment} of {Workspace} no longer reads as a segment; it is left out of evaluation.")]
    private static partial void LogUnreadable(ILogger logger, string workspace, string segment);
}

/// <summary>One workspace's segments at library generation <see cref="Generation"/>: their stored views in id order (so a customer records its changes in a stable order), and the set to evaluate.</summary>
public sealed record WorkspaceSegments(long Generation, ImmutableSortedDictionary<string, SegmentView> Segments, SegmentSet Set);
