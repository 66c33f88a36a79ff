using System.Collections.Concurrent;
using System.Text.Json;
using NodaTime;
using Waymark.Definitions;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Predicates;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Grains.Journeys;

/// <summary>
/// Published versions, parsed once per silo. A version never changes, so an entry never goes stale; a
/// run's every step reads its version from here, never from a grain.
/// </summary>
public sealed class JourneyVersionCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PublishedJourney?>>> versions = new(StringComparer.Ordinal);

    /// <summary>Null when no such version was published.</summary>
    public Task<PublishedJourney?> GetAsync(string workspace, string journeyId, int version)
    {
        var key = DefinitionKeys.Version(workspace, journeyId, version);
        var entry = versions.GetOrAdd(key, k => new Lazy<Task<PublishedJourney?>>(() => LoadAsync(k)));
        var task = entry.Value;

        // A failed load (a silo unreachable for a moment) is not remembered.
        if (task.IsFaulted || task is { IsCompletedSuccessfully: true, Result: null })
        {
            versions.TryRemove(new KeyValuePair<string, Lazy<Task<PublishedJourney?>>>(key, entry));
        }

        return task;
    }

    private async Task<PublishedJourney?> LoadAsync(string key)
    {
        if (await grains.GetGrain<IJourneyVersionGrain>(key).Get() is not { } stored)
        {
            return null;
        }

        var templates = stored.Templates.ToDictionary(t => t.Key, t => ReadTemplate(key, t.Key, t.Value), StringComparer.Ordinal);

        // Read as of its publication: the segments and templates it named then, the clock of then.
        var context = new DefinitionContext(
            Instant.FromDateTimeOffset(stored.PublishedAt),
            stored.Segments.ToDictionary(s => s, _ => (IReadOnlySet<string>)new HashSet<string>(), StringComparer.Ordinal),
            templates.ToDictionary(t => t.Key, t => t.Value.Channel, StringComparer.Ordinal));
        using var canvas = JsonDocument.Parse(stored.Canvas);
        var parsed = JourneyReader.Read(canvas.RootElement, context);
        var definition = parsed.Value ?? throw new InvalidOperationException(
            $"Published journey version {key} no longer reads: {string.Join("; ", parsed.Problems.Select(p => $"{p.Path}: {p.Message}"))}");
        return new PublishedJourney(stored.JourneyId, stored.Version, definition, templates, HistoryWindows.Of(definition.Predicates()));
    }

    private static MessageTemplate ReadTemplate(string version, string templateId, string body)
    {
        using var document = JsonDocument.Parse(body);
        return TemplateReader.ReadStored(document.RootElement).Value
            ?? throw new InvalidOperationException($"Template '{templateId}' of published journey version {version} no longer reads.");
    }
}
