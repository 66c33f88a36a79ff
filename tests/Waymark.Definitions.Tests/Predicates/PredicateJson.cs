using System.Text.Json;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Predicates;

/// <summary>Reads predicate JSON the way definitions do, against a workspace that knows a few segments.</summary>
internal static class PredicateJson
{
    public static readonly Instant Now = Instant.FromUtc(2027, 5, 20, 12, 0);

    public static readonly string[] KnownSegments = ["loyal", "diamond-vip"];

    /// <summary>A context whose segments are <paramref name="library"/> (id → the segments its rule names).</summary>
    public static DefinitionContext Context(IReadOnlyDictionary<string, string[]> library) =>
        DefinitionContext.Empty(Now) with
        {
            Segments = library.ToDictionary(s => s.Key, s => (IReadOnlySet<string>)s.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        };

    public static DefinitionContext Context(IEnumerable<string> segments) => Context(segments.ToDictionary(s => s, _ => Array.Empty<string>()));

    public static (Predicate? Predicate, IReadOnlyList<DefinitionProblem> Problems) Read(string json, PredicateScope? scope = null, DefinitionContext? context = null)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2048 });
        var problems = new Problems();
        var predicate = PredicateReader.Read(document.RootElement, JsonPath.Root, scope ?? PredicateScope.Condition, context ?? Context(KnownSegments), problems);
        return (predicate, problems.All);
    }

    /// <summary>The predicate, failing the test with the problems when there are any.</summary>
    public static Predicate Valid(string json, PredicateScope? scope = null)
    {
        var (predicate, problems) = Read(json, scope);
        Assert.Empty(problems);
        return Assert.IsAssignableFrom<Predicate>(predicate);
    }

    /// <summary>The single problem reading <paramref name="json"/> finds; reading must also yield no predicate.</summary>
    public static DefinitionProblem Problem(string json, PredicateScope? scope = null)
    {
        var (predicate, problems) = Read(json, scope);
        Assert.Null(predicate);
        return Assert.Single(problems);
    }

    public static Comparison Compare(ComparisonOperator op, Operand? operand) => new(op, operand);

    public static NumberLiteral Number(decimal value) => new(value);

    public static TextLiteral Text(string value) => new(value);
}
