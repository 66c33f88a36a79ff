using System.Text.Json;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Journeys;

/// <summary>
/// The workspace canvases are checked against in these tests: the example segments, two stored templates
/// and a fixed clock.
/// </summary>
internal static class TestWorkspace
{
    public static Instant Now { get; } = Instant.FromUtc(2026, 11, 24, 0, 0);

    public static IReadOnlyList<string> SegmentIds { get; } = LoadSegmentIds();

    public static DefinitionContext Context { get; } = new(
        Now,
        SegmentIds.ToDictionary(id => id, _ => (IReadOnlySet<string>)new HashSet<string>(), StringComparer.Ordinal),
        new Dictionary<string, Channel>(StringComparer.Ordinal)
        {
            ["welcome-email"] = Channel.Email,
            ["promo-sms"] = Channel.Sms,
        });

    public static Parsed<JourneyDefinition> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JourneyReader.Read(document.RootElement, Context);
    }

    public static string Example(string fileName) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", fileName));

    public static JourneyDefinition ReadValid(string json)
    {
        var parsed = Read(json);
        Assert.True(parsed.IsValid, string.Join(Environment.NewLine, parsed.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return parsed.Value!;
    }

    private static List<string> LoadSegmentIds()
    {
        using var segments = JsonDocument.Parse(Example("segments.json"));
        return [.. segments.RootElement.EnumerateObject().Select(s => s.Name)];
    }
}
