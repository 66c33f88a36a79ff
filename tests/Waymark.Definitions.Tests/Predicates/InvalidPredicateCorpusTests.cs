using System.Text.Json;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Predicates;

/// <summary>
/// Corpus/invalid-predicates.json: each case a predicate (read in its <c>scope</c>, default condition)
/// or a segment body (<c>id</c>, <c>body</c>, optional <c>library</c> of stored segments), with the path
/// and a fragment of the message of the problem it must be refused with.
/// </summary>
public class InvalidPredicateCorpusTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "invalid-predicates.json"));
        using var document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    });

    private static readonly Dictionary<string, PredicateScope> Scopes = new()
    {
        ["segment"] = PredicateScope.Segment,
        ["triggerWhere"] = PredicateScope.TriggerWhere,
        ["runEventWhere"] = PredicateScope.RunEventWhere,
        ["condition"] = PredicateScope.Condition,
    };

    public static TheoryData<string> Names => [.. Cases.Value.Keys];

    [Fact]
    public void The_corpus_holds_at_least_twenty_cases()
    {
        Assert.True(Cases.Value.Count >= 20, $"{Cases.Value.Count} cases");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Invalid_definition_is_refused_with_the_expected_problem_at_its_path(string name)
    {
        var testCase = Cases.Value[name];

        var (valid, problems) = testCase.TryGetProperty("segment", out var segment) ? ReadSegment(segment) : ReadPredicate(testCase);

        Assert.False(valid);
        var path = testCase.GetProperty("path").GetString()!;
        var message = testCase.GetProperty("message").GetString()!;
        Assert.Contains(problems, p => p.Path == path && p.Message.Contains(message, StringComparison.Ordinal));
    }

    private static (bool Valid, IReadOnlyList<DefinitionProblem> Problems) ReadPredicate(JsonElement testCase)
    {
        var scope = testCase.TryGetProperty("scope", out var named) ? Scopes[named.GetString()!] : PredicateScope.Condition;
        var problems = new Problems();
        var predicate = PredicateReader.Read(testCase.GetProperty("predicate"), JsonPath.Root, scope, PredicateJson.Context(PredicateJson.KnownSegments), problems);
        return (predicate is not null, problems.All);
    }

    private static (bool Valid, IReadOnlyList<DefinitionProblem> Problems) ReadSegment(JsonElement segment)
    {
        var library = segment.TryGetProperty("library", out var stored)
            ? stored.EnumerateObject().ToDictionary(s => s.Name, s => s.Value.EnumerateArray().Select(r => r.GetString()!).ToArray())
            : PredicateJson.KnownSegments.ToDictionary(s => s, _ => Array.Empty<string>());
        var parsed = SegmentReader.Read(segment.GetProperty("id").GetString()!, segment.GetProperty("body"), PredicateJson.Context(library));
        return (parsed.IsValid, parsed.Problems);
    }
}
