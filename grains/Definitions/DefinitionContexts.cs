using System.Collections.Immutable;
using System.Text.Json;
using NodaTime;
using Waymark.Definitions;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Definitions.Validation;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Segments;
using Waymark.GrainInterfaces.Templates;
using Waymark.Model.Time;

namespace Waymark.Grains.Definitions;

/// <summary>
/// Builds what definitions are validated against, from the workspace's segment and template libraries
/// (two calls, only on the management path), and turns the validator's problems into grain answers.
/// </summary>
public sealed class DefinitionContexts(IGrainFactory grains, WaymarkClock clock)
{
    public async Task<DefinitionContext> LoadAsync(string workspace)
    {
        var segments = grains.GetGrain<ISegmentLibraryGrain>(workspace).References();
        var templates = grains.GetGrain<ITemplateLibraryGrain>(workspace).List();
        return new DefinitionContext(
            Instant.FromDateTimeOffset(clock.GetUtcNow()),
            (await segments).ToDictionary(s => s.Key, s => (IReadOnlySet<string>)s.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
            (await templates).ToDictionary(t => t.Id, t => Enum.Parse<Channel>(t.Channel, ignoreCase: true), StringComparer.Ordinal));
    }

    /// <summary>Reads and validates a canvas against the workspace as it is now.</summary>
    public async Task<(JourneyDefinition? Definition, ImmutableArray<DefinitionError> Errors)> ReadJourneyAsync(string workspace, string canvasJson)
    {
        using var document = ParseJson(canvasJson);
        if (document is null)
        {
            return (null, NotJson);
        }

        var parsed = JourneyReader.Read(document.RootElement, await LoadAsync(workspace));
        return (parsed.Value, Errors(parsed.Problems));
    }

    public static ImmutableArray<DefinitionError> Errors(IEnumerable<DefinitionProblem> problems) =>
        [.. problems.Select(p => new DefinitionError(p.Path, p.Message))];

    /// <summary>
    /// Parses JSON text the gateway already checked; null for text that is not JSON (a grain called
    /// directly), which the caller answers as invalid at <c>$</c>.
    /// </summary>
    public static JsonDocument? ParseJson(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static readonly ImmutableArray<DefinitionError> NotJson = [new DefinitionError(JsonPath.Root, "is not valid JSON")];
}
