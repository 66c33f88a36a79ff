using System.Text.Json;
using Waymark.Definitions;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using Waymark.Definitions.Validation;
using Waymark.Engine.Segments;
using Waymark.Engine.Tests.Predicates;

namespace Waymark.Engine.Tests.Segments;

/// <summary>Segment rules as a designer writes them, read and validated as saving a segment does.</summary>
internal static class Rules
{
    private static readonly Lazy<IReadOnlyDictionary<string, Predicate>> ExampleRules = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "segments.json")));
        var bodies = document.RootElement.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.Clone());
        return bodies.ToDictionary(s => s.Key, s =>
        {
            var parsed = SegmentReader.Read(s.Key, s.Value, Context(bodies.Keys.Where(other => other != s.Key)));
            Assert.Empty(parsed.Problems);
            return parsed.Value!.Where;
        });
    });

    /// <summary>Every segment of the product contract (examples/segments.json) by id.</summary>
    public static IReadOnlyDictionary<string, Predicate> Examples => ExampleRules.Value;

    /// <summary>A set of rules written as JSON; each may name the others.</summary>
    public static SegmentSet Set(params (string Id, string Where)[] rules) =>
        new(rules.ToDictionary(r => r.Id, r => Read(r.Where, rules.Select(o => o.Id).Where(o => o != r.Id))));

    /// <summary>A segment's <c>where</c>, failing the test if saving it would be refused.</summary>
    public static Predicate Read(string json, IEnumerable<string> otherSegments)
    {
        using var document = JsonDocument.Parse(json);
        var problems = new Problems();
        var predicate = PredicateReader.Read(document.RootElement, JsonPath.Root, PredicateScope.Segment, Context(otherSegments), problems);
        Assert.Empty(problems.All);
        return Assert.IsAssignableFrom<Predicate>(predicate);
    }

    private static DefinitionContext Context(IEnumerable<string> segments) => DefinitionContext.Empty(Given.Now) with
    {
        Segments = segments.ToDictionary(id => id, _ => (IReadOnlySet<string>)new HashSet<string>(), StringComparer.Ordinal),
    };
}
