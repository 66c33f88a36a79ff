using System.Text.Json;
using NodaTime;
using Waymark.Definitions;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>Canvases as designers write them, read and validated the way publication does, so every tested journey is a valid one.</summary>
internal static class Canvas
{
    /// <summary>The clock the journey tests start at: Thursday 20 May 2027, 12:00 UTC.</summary>
    public static readonly Instant T0 = Instant.FromUtc(2027, 5, 20, 12, 0);

    public static readonly string[] Segments = ["loyal", "diamond-vip", "active-7d-no-purchase"];

    /// <summary>The stored templates of the test workspace, by id.</summary>
    public static readonly IReadOnlyDictionary<string, MessageTemplate> StoredTemplates = new Dictionary<string, MessageTemplate>(StringComparer.Ordinal)
    {
        ["welcome-email"] = StoredTemplate("""{ "channel": "email", "subject": "Welcome {{ customer.traits.name }}", "html": "<p>Hi</p>", "text": "Hi" }"""),
    };

    private static readonly DefinitionContext Context = new(
        T0 - Duration.FromDays(365),
        Segments.ToDictionary(s => s, _ => (IReadOnlySet<string>)new HashSet<string>(), StringComparer.Ordinal),
        StoredTemplates.ToDictionary(t => t.Key, t => t.Value.Channel, StringComparer.Ordinal));

    /// <summary>The canvas <paramref name="json"/>, failing the test when it does not validate.</summary>
    public static JourneyDefinition Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var parsed = JourneyReader.Read(document.RootElement, Context);
        Assert.True(parsed.IsValid, string.Join(Environment.NewLine, parsed.Problems.Select(p => $"{p.Path}: {p.Message}")));
        return parsed.Value!;
    }

    /// <summary>A journey of <paramref name="nodes"/> (a JSON array) starting at <paramref name="start"/>, entered by the event <c>go</c> unless another trigger is given.</summary>
    public static JourneyDefinition Of(
        string start,
        string nodes,
        string trigger = """{ "type": "event", "event": "go" }""",
        string? entry = null,
        string? exitWhen = null,
        string? goal = null)
    {
        var optional = string.Concat(
            entry is null ? "" : $""", "entry": {entry}""",
            exitWhen is null ? "" : $""", "exitWhen": {exitWhen}""",
            goal is null ? "" : $""", "goal": {goal}""");
        return Read($$"""{ "name": "test", "trigger": {{trigger}}{{optional}}, "start": "{{start}}", "nodes": {{nodes}} }""");
    }

    /// <summary>One of the spec's example journeys (tests/examples).</summary>
    public static JourneyDefinition Example(string fileName) =>
        Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", fileName)));

    private static MessageTemplate StoredTemplate(string json)
    {
        using var document = JsonDocument.Parse(json);
        return TemplateReader.ReadStored(document.RootElement).Value!;
    }
}
