using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>The fixed clock, JSON, events and predicates the evaluation tests are written in.</summary>
internal static class Given
{
    public static readonly Instant Now = Instant.FromUtc(2027, 5, 20, 12, 0);

    /// <summary>Segments a predicate may name.</summary>
    public static readonly string[] KnownSegments = ["loyal", "diamond-vip"];

    public static Instant DaysAgo(double days) => Now - Duration.FromTimeSpan(TimeSpan.FromDays(days));

    /// <summary>A JSON object parsed as the grain holds one (values backed by the parsed JSON).</summary>
    public static JsonObject Json(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 4096 })!.AsObject();

    public static CustomerEvent Event(string name, Instant at, string properties = "{}") => new(name, at, Json(properties));

    /// <summary>
    /// The predicate <paramref name="json"/> as a journey condition reads it (property and run paths
    /// allowed), failing the test if the reader refuses it: every tested predicate is one a designer can write.
    /// </summary>
    public static Predicate Predicate(string json)
    {
        using var document = JsonDocument.Parse(json);
        var problems = new Problems();
        var context = DefinitionContext.Empty(Now) with
        {
            Segments = KnownSegments.ToDictionary(s => s, _ => (IReadOnlySet<string>)new HashSet<string>(), StringComparer.Ordinal),
        };
        var predicate = PredicateReader.Read(document.RootElement, JsonPath.Root, PredicateScope.Condition, context, problems);
        Assert.Empty(problems.All);
        return Assert.IsAssignableFrom<Predicate>(predicate);
    }
}
