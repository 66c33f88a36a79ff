using System.Text.Json;
using Waymark.Definitions.Journeys;

namespace Waymark.Definitions.Tests.Journeys;

/// <summary>
/// Corpus/invalid-canvases.json: each case is a canvas with every problem it must be refused for, as a
/// path and a fragment of the message. A case passes when exactly those problems are reported.
/// </summary>
public sealed class InvalidCanvasCorpusTests
{
    private static readonly Lazy<Dictionary<string, CorpusCase>> Cases = new(LoadCases);

    public static TheoryData<string> CaseNames => [.. Cases.Value.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Invalid_canvas_is_refused_with_every_expected_problem_and_no_other(string name)
    {
        var corpusCase = Cases.Value[name];

        var parsed = JourneyReader.Read(corpusCase.Canvas, TestWorkspace.Context);

        Assert.Null(parsed.Value);
        var unmatched = parsed.Problems.ToList();
        foreach (var expected in corpusCase.Problems)
        {
            var match = unmatched.FirstOrDefault(p => p.Path == expected.Path && p.Message.Contains(expected.Message, StringComparison.Ordinal));
            Assert.True(match is not null, $"expected {expected.Path}: …{expected.Message}…; reported:{Environment.NewLine}{Describe(parsed.Problems)}");
            unmatched.Remove(match);
        }

        Assert.True(unmatched.Count == 0, $"also reported:{Environment.NewLine}{Describe(unmatched)}");
    }

    [Fact]
    public void Corpus_holds_at_least_35_cases_each_with_a_problem()
    {
        Assert.True(Cases.Value.Count >= 35, $"only {Cases.Value.Count} cases");
        Assert.All(Cases.Value.Values, c => Assert.NotEmpty(c.Problems));
    }

    private static string Describe(IEnumerable<Validation.DefinitionProblem> problems) =>
        string.Join(Environment.NewLine, problems.Select(p => $"  {p.Path}: {p.Message}"));

    private static Dictionary<string, CorpusCase> LoadCases()
    {
        using var corpus = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "invalid-canvases.json")));
        var cases = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);
        foreach (var item in corpus.RootElement.EnumerateArray())
        {
            var problems = item.GetProperty("problems").EnumerateArray()
                .Select(p => new ExpectedProblem(p.GetProperty("path").GetString()!, p.GetProperty("message").GetString()!))
                .ToList();

            // Add throws on a repeated name, so no case can hide another.
            cases.Add(item.GetProperty("name").GetString()!, new CorpusCase(item.GetProperty("canvas").Clone(), problems));
        }

        return cases;
    }

    private sealed record CorpusCase(JsonElement Canvas, IReadOnlyList<ExpectedProblem> Problems);

    private sealed record ExpectedProblem(string Path, string Message);
}
