using System.Text.Json;
using CsCheck;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Predicates;

public class PredicateProperties
{
    private static readonly PredicateScope[] Scopes =
        [PredicateScope.Segment, PredicateScope.TriggerWhere, PredicateScope.RunEventWhere, PredicateScope.Condition];

    [Fact]
    public void Any_json_reads_without_throwing_and_yields_a_predicate_exactly_when_no_problem_is_found()
    {
        Gen.Select(PredicateGenerators.AnyJson(depth: 5), Gen.OneOf(Scopes)).Sample((json, scope) =>
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1024 });
            var problems = new Problems();

            var predicate = PredicateReader.Read(document.RootElement, JsonPath.Root, scope, PredicateJson.Context(PredicateJson.KnownSegments), problems);
            var segment = SegmentReader.Read("a", document.RootElement, PredicateJson.Context(PredicateJson.KnownSegments));

            Assert.Equal(predicate is null, problems.Any);
            Assert.Equal(segment.Value is null, segment.Problems.Count > 0);
        }, iter: 5_000);
    }

    [Fact]
    public void Any_json_placed_as_a_segment_rule_reads_without_throwing()
    {
        PredicateGenerators.AnyJson(depth: 4).Sample(json =>
        {
            using var document = JsonDocument.Parse($$"""{ "name": "n", "where": {{json}} }""", new JsonDocumentOptions { MaxDepth = 1024 });

            var segment = SegmentReader.Read("a", document.RootElement, PredicateJson.Context(PredicateJson.KnownSegments));

            Assert.Equal(segment.Value is null, segment.Problems.Count > 0);
        }, iter: 5_000);
    }

    [Theory]
    [MemberData(nameof(ScopeNames))]
    public void A_valid_predicate_reads_with_no_problem_into_the_model_it_was_written_from(string scopeName)
    {
        var scope = Scopes.Single(s => s.ToString() == scopeName);

        PredicateGenerators.Valid(scope, PredicateJson.KnownSegments).Sample(written =>
        {
            var (predicate, problems) = PredicateJson.Read(written.Json.ToJsonString(), scope);

            Assert.Empty(problems);
            Assert.Equal(written.Expected, predicate);
        }, iter: 2_000);
    }

    public static TheoryData<string> ScopeNames => [.. Scopes.Select(s => s.ToString())];
}
