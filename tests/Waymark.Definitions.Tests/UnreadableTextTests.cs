using System.Text;
using System.Text.Json;
using CsCheck;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using Waymark.Definitions.Templates;
using Waymark.Definitions.Tests.Journeys;
using Waymark.Definitions.Tests.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests;

/// <summary>
/// Text JSON carries but .NET cannot read (an escaped lone surrogate, bytes that are not UTF-8) is a
/// problem at its path for every public reader, never an exception.
/// </summary>
public class UnreadableTextTests
{
    private static readonly string[] Readers = ["journey", "segment", "stored template", "inline template", "predicate"];

    // Places arbitrary JSON (at HOLE) deep enough that each reader gets past its first checks before meeting it.
    private static readonly string[] Shapes =
    [
        "HOLE",
        """{ "name": "n", "where": HOLE }""",
        """{ "channel": "webhook", "payload": HOLE }""",
        """{ "channel": "email", "subject": HOLE, "text": "t" }""",
        """{ "all": [ { "tag": "vip" }, HOLE ] }""",
        """{ "name": "n", "trigger": { "type": "event", "event": "e", "where": HOLE }, "start": "a", "nodes": [ { "id": "a", "type": "send", "channel": "email", "template": HOLE, "next": "b" }, { "id": "b", "type": "exit" } ] }""",
    ];

    [Fact]
    public void Any_json_with_unreadable_text_makes_no_public_reader_throw()
    {
        Gen.Select(PredicateGenerators.AnyJson(depth: 4), Gen.OneOf(Shapes), Gen.OneOf(Readers)).Sample((json, shape, reader) =>
        {
            using var document = JsonDocument.Parse(shape.Replace("HOLE", json, StringComparison.Ordinal), new JsonDocumentOptions { MaxDepth = 1024 });

            var (valid, problems) = Read(reader, document.RootElement);

            Assert.Equal(valid, problems.Count == 0);
        }, iter: 10_000);
    }

    [Theory]
    [InlineData("journey", """{ "name": "n", "nodes": [ { "id": "a", "note": { "x": "\uDC00" } } ] }""", "$.nodes[0].note.x")]
    [InlineData("segment", """{ "name": "n", "where": { "all": [ { "tag": "\uDC00" } ] } }""", "$.where.all[0].tag")]
    [InlineData("segment", """{ "name": "n", "description": "\uD800x" }""", "$.description")]
    [InlineData("stored template", """{ "channel": "webhook", "payload": { "a": [ "x", "\uD800" ] } }""", "$.payload.a[1]")]
    [InlineData("inline template", """{ "subject": "\uDBFF\uDBFF" }""", "$.subject")]
    [InlineData("predicate", """{ "any": [ { "tag": "vip" }, { "trait": "x", "op": "eq", "value": "\uDFFF" } ] }""", "$.any[1].value")]
    public void A_bad_surrogate_is_reported_at_its_path_by_every_reader(string reader, string json, string path)
    {
        using var document = JsonDocument.Parse(json);

        var (valid, problems) = Read(reader, document.RootElement);

        Assert.False(valid);
        var problem = Assert.Single(problems);
        Assert.Equal((path, "is not text: it has an unpaired UTF-16 surrogate escape such as \\uD800"), (problem.Path, problem.Message));
    }

    [Theory]
    [InlineData("segment", """{ "name": "n", "where": { "tag": "vip", "\uD800": 1 } }""", "$.where")]
    [InlineData("stored template", """{ "channel": "webhook", "payload": { "\uDC00x": 1 } }""", "$.payload")]
    public void A_field_name_with_a_bad_surrogate_is_reported_by_its_position(string reader, string json, string path)
    {
        using var document = JsonDocument.Parse(json);

        var (_, problems) = Read(reader, document.RootElement);

        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.Path);
        Assert.StartsWith($"field {(reader == "segment" ? 2 : 1)} has a name that is not text", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_reported_at_their_path()
    {
        byte[] json = [.. "{ \"name\": \"n\", \"where\": { \"tag\": \""u8, 0xFF, .. "\" } }"u8];
        using var document = JsonDocument.Parse(json);

        var (_, problems) = Read("segment", document.RootElement);

        var problem = Assert.Single(problems);
        Assert.Equal(("$.where.tag", "is not text: it is not valid UTF-8"), (problem.Path, problem.Message));
    }

    [Fact]
    public void Paired_surrogate_escapes_read_as_the_text_they_stand_for()
    {
        var predicate = PredicateJson.Valid("""{ "tag": "\uD83D\uDE00 and \\uD800" }""");

        Assert.Equal(new TagPredicate("\U0001F600 and \\uD800"), predicate);
    }

    /// <summary>Whether <paramref name="reader"/> read a definition from <paramref name="element"/>, and its problems.</summary>
    private static (bool Valid, IReadOnlyList<DefinitionProblem> Problems) Read(string reader, JsonElement element)
    {
        var context = TestWorkspace.Context;
        var problems = new Problems();
        var valid = reader switch
        {
            "journey" => Outcome(JourneyReader.Read(element, context), problems),
            "segment" => Outcome(SegmentReader.Read("s", element, context), problems),
            "stored template" => Outcome(TemplateReader.ReadStored(element), problems),
            "inline template" => TemplateReader.ReadInline(element, Channel.Email, JsonPath.Root, problems) is not null,
            _ => PredicateReader.Read(element, JsonPath.Root, PredicateScope.Condition, context, problems) is not null,
        };
        return (valid, problems.All);
    }

    private static bool Outcome<T>(Parsed<T> parsed, Problems problems) where T : class
    {
        foreach (var problem in parsed.Problems)
        {
            problems.Add(problem.Path, problem.Message);
        }

        return parsed.Value is not null;
    }
}
