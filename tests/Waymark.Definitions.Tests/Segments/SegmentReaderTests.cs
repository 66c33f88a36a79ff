using System.Text.Json;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Segments;
using Waymark.Definitions.Tests.Predicates;
using Waymark.Definitions.Validation;
using static Waymark.Definitions.Tests.Predicates.PredicateJson;

namespace Waymark.Definitions.Tests.Segments;

public class SegmentReaderTests
{
    private static Parsed<SegmentDefinition> Read(string id, string body, IReadOnlyDictionary<string, string[]>? library = null)
    {
        using var document = JsonDocument.Parse(body);
        return SegmentReader.Read(id, document.RootElement, library is null ? Context(KnownSegments) : Context(library));
    }

    [Fact]
    public void A_segment_reads_its_name_description_rule_and_the_segments_it_names()
    {
        var parsed = Read("loyal-vips", """
            { "name": "Loyal VIPs", "description": "Both at once",
              "where": { "all": [ { "segment": "loyal" }, { "segment": "diamond-vip" }, { "tag": "vip" } ] } }
            """);

        var segment = Assert.IsType<SegmentDefinition>(parsed.Value);
        Assert.Equal("Loyal VIPs", segment.Name);
        Assert.Equal("Both at once", segment.Description);
        Assert.Equal(new AllPredicate([new SegmentPredicate("loyal"), new SegmentPredicate("diamond-vip"), new TagPredicate("vip")]), segment.Where);
        Assert.Equal(["diamond-vip", "loyal"], segment.References);
    }

    [Theory]
    [InlineData("""{ "name": "VIP", "where": { "tag": "vip" } }""")]
    [InlineData("""{ "name": "VIP", "description": "", "where": { "tag": "vip" } }""")]
    [InlineData("""{ "name": "VIP", "description": null, "where": { "tag": "vip" } }""")]
    public void A_missing_or_empty_description_is_none(string body)
    {
        var segment = Assert.IsType<SegmentDefinition>(Read("vip", body).Value);

        Assert.Null(segment.Description);
    }

    [Fact]
    public void A_name_of_200_characters_is_accepted_and_201_refused()
    {
        Assert.True(Read("a", $$"""{ "name": "{{new string('n', 200)}}", "where": { "tag": "vip" } }""").IsValid);

        var refused = Read("a", $$"""{ "name": "{{new string('n', 201)}}", "where": { "tag": "vip" } }""");
        Assert.Equal("$.name", Assert.Single(refused.Problems).Path);
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_one_problem_at_the_root()
    {
        var parsed = Read("a", """["name"]""");

        Assert.Null(parsed.Value);
        Assert.Equal(new DefinitionProblem("$", "must be an object, not an array"), Assert.Single(parsed.Problems));
    }

    [Fact]
    public void A_segment_naming_itself_is_a_cycle_not_an_unknown_segment()
    {
        var parsed = Read("new-segment", """{ "name": "Self", "where": { "not": { "segment": "new-segment" } } }""");

        Assert.Equal(new DefinitionProblem("$.where.not.segment", "segment cycle: new-segment → new-segment"), Assert.Single(parsed.Problems));
    }

    [Fact]
    public void A_cycle_through_other_segments_is_spelled_out_shortest_first()
    {
        var library = new Dictionary<string, string[]>
        {
            ["b"] = ["c", "d"],
            ["c"] = ["e"],
            ["d"] = ["a"],
            ["e"] = ["a"],
        };

        var parsed = Read("a", """{ "name": "A", "where": { "any": [ { "segment": "e" }, { "segment": "b" } ] } }""", library);

        Assert.Equal(
            [
                new DefinitionProblem("$.where.any[0].segment", "segment cycle: a → e → a"),
                new DefinitionProblem("$.where.any[1].segment", "segment cycle: a → b → d → a"),
            ],
            parsed.Problems);
    }

    [Fact]
    public void The_stored_rule_of_the_segment_being_replaced_is_ignored()
    {
        // The stored 'a' names 'b', which names 'a': replacing 'a' with a rule that names 'b' is a cycle,
        // and one that names only 'c' is not, whatever the stored 'a' said.
        var library = new Dictionary<string, string[]> { ["a"] = ["b", "c"], ["b"] = ["a"], ["c"] = [] };

        Assert.False(Read("a", """{ "name": "A", "where": { "segment": "b" } }""", library).IsValid);
        Assert.True(Read("a", """{ "name": "A", "where": { "segment": "c" } }""", library).IsValid);
        Assert.True(Read("c", """{ "name": "C", "where": { "tag": "vip" } }""", library).IsValid);
    }

    [Fact]
    public void A_library_that_already_holds_a_cycle_elsewhere_does_not_trap_the_check()
    {
        var library = new Dictionary<string, string[]> { ["x"] = ["y"], ["y"] = ["x"] };

        Assert.True(Read("a", """{ "name": "A", "where": { "segment": "x" } }""", library).IsValid);
    }

    [Fact]
    public void Every_problem_of_a_segment_is_reported_at_once()
    {
        var parsed = Read("a", """
            { "description": 1,
              "where": { "all": [
                { "property": "score", "op": "lt", "value": 7 },
                { "event": "page_viewed", "within": "P1Y", "days": { "op": "eq", "value": "7" } },
                { "segment": "a" },
                { "lastSeen": { "op": "eq", "value": "-P7D" } } ] },
              "colour": "red" }
            """);

        Assert.Null(parsed.Value);
        Assert.Equal(
            ["$.name", "$.description", "$.where.all[0]", "$.where.all[1].within", "$.where.all[1].days.value", "$.where.all[3].lastSeen.op", "$.colour", "$.where.all[2].segment"],
            parsed.Problems.Select(p => p.Path));
    }
}
