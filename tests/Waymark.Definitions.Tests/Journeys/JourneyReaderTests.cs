using System.Text.Json;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Tests.Journeys;

public sealed class JourneyReaderTests
{
    private const string ApiTrigger = """{ "type": "api" }""";

    private static string Canvas(string nodes, string start = "a", string trigger = ApiTrigger, string extra = "") =>
        $$"""{ "name": "n", "trigger": {{trigger}}, {{extra}} "start": "{{start}}", "nodes": [ {{nodes}} ] }""";

    [Fact]
    public void A_canvas_without_entry_or_category_gets_the_documented_defaults()
    {
        var journey = TestWorkspace.ReadValid(Canvas("""
            { "id": "a", "type": "send", "channel": "sms", "template": { "text": "hi" }, "next": "b" },
            { "id": "b", "type": "exit" }
            """, extra: """ "description": "", """));

        Assert.Equal(EntryRules.Default, journey.Entry);
        Assert.Equal(new EntryRules(Reentry.Never, null, null), journey.Entry);
        Assert.Null(journey.Description);
        Assert.Empty(journey.ExitWhen);
        Assert.Null(journey.Goal);
        Assert.IsType<ApiTrigger>(journey.Trigger);
        Assert.Equal(MessageCategory.Marketing, Assert.IsType<SendNode>(journey.Node("a")).Category);
    }

    [Fact]
    public void Entry_cooldown_and_limit_are_read()
    {
        var journey = TestWorkspace.ReadValid(Canvas("""{ "id": "a", "type": "exit" }""", extra: """ "entry": { "cooldown": "P7D", "limit": 10000 }, """));

        Assert.Equal(new EntryRules(Reentry.Never, TimeSpan.FromDays(7), 10000), journey.Entry);
    }

    [Fact]
    public void Until_accepts_a_fixed_timestamp_and_a_negative_offset_without_time_of_day()
    {
        var journey = TestWorkspace.ReadValid(Canvas("""
            { "id": "a", "type": "wait", "until": "2027-01-01T09:00:00+01:00", "next": "b" },
            { "id": "b", "type": "wait", "until": { "property": "customer.traits.birthday", "offset": "-PT36H" }, "next": "c" },
            { "id": "c", "type": "exit" }
            """));

        Assert.Equal(new WaitUntilInstant(Instant.FromUtc(2027, 1, 1, 8, 0)), Assert.IsType<WaitNode>(journey.Node("a")).Time);
        Assert.Equal(
            new WaitUntilProperty(new ValuePath(ValueRoot.CustomerTraits, "birthday"), TimeSpan.FromHours(-36), null),
            Assert.IsType<WaitNode>(journey.Node("b")).Time);
    }

    [Fact]
    public void A_cycle_through_a_wait_or_wait_event_is_accepted()
    {
        var journey = TestWorkspace.ReadValid(Canvas("""
            { "id": "a", "type": "condition", "if": { "tag": "vip" }, "then": "b", "else": "c" },
            { "id": "b", "type": "wait", "duration": "P1D", "next": "a" },
            { "id": "c", "type": "waitEvent", "event": "order_completed", "timeout": "P7D", "next": "d", "timeoutNext": "c" },
            { "id": "d", "type": "exit" }
            """));

        Assert.Equal(["a", "b", "c", "d"], journey.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void A_repeating_schedule_may_start_in_the_past()
    {
        var journey = TestWorkspace.ReadValid(Canvas(
            """{ "id": "a", "type": "exit" }""",
            trigger: """{ "type": "schedule", "segment": "loyal", "at": "2020-01-01T08:00:00Z", "every": "P1W" }"""));

        Assert.Equal(new ScheduleTrigger("loyal", Instant.FromUtc(2020, 1, 1, 8, 0), TimeSpan.FromDays(7)), journey.Trigger);
    }

    [Fact]
    public void Referenced_segments_and_templates_are_collected_from_every_part()
    {
        var journey = TestWorkspace.ReadValid(Canvas(
            """
            { "id": "a", "type": "condition", "if": { "any": [ { "segment": "loyal" }, { "not": { "segment": "diamond-vip" } } ] }, "then": "b", "else": "c" },
            { "id": "b", "type": "send", "channel": "email", "templateId": "welcome-email", "next": "c" },
            { "id": "c", "type": "send", "channel": "sms", "templateId": "promo-sms", "next": "d" },
            { "id": "d", "type": "exit" }
            """,
            trigger: """{ "type": "event", "event": "signed_up", "where": { "segment": "silver-cart-3" } }""",
            extra: """ "exitWhen": [ { "segment": "high-value-30d", "on": "exit" } ], """));

        Assert.Equal(
            new HashSet<string>(["loyal", "diamond-vip", "silver-cart-3", "high-value-30d"]),
            journey.ReferencedSegments.ToHashSet());
        Assert.Equal(new HashSet<string>(["welcome-email", "promo-sms"]), journey.ReferencedTemplates.ToHashSet());
        Assert.Equal(new ExitOnSegmentExit("high-value-30d"), Assert.Single(journey.ExitWhen));
    }

    [Fact]
    public void Update_sets_literal_and_run_path_traits_that_outlive_the_document()
    {
        var journey = TestWorkspace.ReadValid(Canvas("""
            { "id": "a", "type": "update", "setTraits": { "tier": "gold", "score": 7, "first name": { "path": "trigger.properties.name" } },
              "addTags": ["vip"], "removeTags": ["churn-risk"], "next": "b" },
            { "id": "b", "type": "exit" }
            """));

        var update = Assert.IsType<UpdateNode>(journey.Node("a"));
        Assert.Equal("gold", Assert.IsType<LiteralTraitValue>(update.SetTraits["tier"]).Value.GetString());
        Assert.Equal(7, Assert.IsType<LiteralTraitValue>(update.SetTraits["score"]).Value.GetInt32());
        Assert.Equal(new PathTraitValue(new ValuePath(ValueRoot.TriggerProperties, "name")), update.SetTraits["first name"]);
        Assert.Equal(["vip"], update.AddTags);
        Assert.Equal(["churn-risk"], update.RemoveTags);
    }

    [Fact]
    public void A_non_object_canvas_is_one_problem_at_the_root()
    {
        var parsed = TestWorkspace.Read("[1, 2]");

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(("$", "must be an object, not an array"), (problem.Path, problem.Message));
        Assert.Null(parsed.Value);
    }

    [Theory]
    [InlineData("""{ "name": "\uD800" }""", "$.name")]
    [InlineData("""{ "name": "n", "nodes": [ { "id": "a", "type": "exit", "x": ["\uDC00"] } ] }""", "$.nodes[0].x[0]")]
    [InlineData("""{ "name": "n", "\uD800": 1 }""", "$")]
    public void Text_with_an_unpaired_surrogate_is_reported_instead_of_throwing(string json, string path)
    {
        var parsed = TestWorkspace.Read(json);

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains("unpaired UTF-16 surrogate", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P16000000D", "is too long")]
    [InlineData("-P16000000D", "is too long")]
    [InlineData("P99999999999999999999D", "must be an ISO 8601 duration")]
    public void Durations_beyond_range_are_reported_instead_of_throwing(string duration, string message)
    {
        var parsed = TestWorkspace.Read(Canvas($$"""{ "id": "a", "type": "wait", "duration": "{{duration}}", "next": "b" }, { "id": "b", "type": "exit" }"""));

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal("$.nodes[0].duration", problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timestamp_at_the_end_of_time_is_reported_instead_of_throwing()
    {
        var parsed = TestWorkspace.Read(Canvas("""{ "id": "a", "type": "wait", "until": "9999-12-31T23:59:59-18:00", "next": "b" }, { "id": "b", "type": "exit" }"""));

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(("$.nodes[0].until", "must be before the year 9999"), (problem.Path, problem.Message));
    }

    [Fact]
    public void An_unknown_field_with_quotes_and_backslashes_gets_an_escaped_path()
    {
        var parsed = TestWorkspace.Read("""{ "name": "n", "trigger": { "type": "api" }, "start": "a", "nodes": [ { "id": "a", "type": "exit" } ], "it's\\": 1 }""");

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(@"$['it\'s\\']", problem.Path);
    }

    [Fact]
    public void An_id_with_a_trailing_newline_is_refused()
    {
        var parsed = TestWorkspace.Read(Canvas("""{ "id": "a\n", "type": "exit" }""", start: "a\\n"));

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal("$.nodes[0].id", problem.Path);
    }

    [Fact]
    public void A_long_chain_of_nodes_is_checked_without_overflowing_the_stack()
    {
        const int length = 20_000;
        var nodes = Enumerable.Range(0, length)
            .Select(i => i == length - 1
                ? $$"""{ "id": "n{{i}}", "type": "condition", "if": { "tag": "t" }, "then": "n0", "else": "n0" }"""
                : $$"""{ "id": "n{{i}}", "type": "update", "addTags": ["t"], "next": "n{{i + 1}}" }""");
        using var document = JsonDocument.Parse(Canvas(string.Join(",", nodes), start: "n0"));

        var parsed = JourneyReader.Read(document.RootElement, TestWorkspace.Context);

        var problem = Assert.Single(parsed.Problems);
        Assert.Equal($"$.nodes[{length - 1}].then", problem.Path);
        Assert.EndsWith(": n0 → n1 → n2", problem.Message[..(problem.Message.IndexOf(" → n3", StringComparison.Ordinal))], StringComparison.Ordinal);
        Assert.EndsWith($"n{length - 1} → n0", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_cannot_be_built_with_an_edge_to_no_node()
    {
        Assert.Throws<ArgumentException>(() => new JourneyDefinition(
            "n", null, new ApiTrigger(), EntryRules.Default, [], null, "a", [new WaitNode("a", new WaitForDuration(TimeSpan.FromDays(1)), "b")]));
    }
}
