using System.Text.Json;
using Waymark.Definitions.Templates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Tests.Templates;

public class TemplateReaderTests
{
    [Theory]
    [InlineData("""{ "payload": { "a": 1 } }""", Channel.Webhook)]
    [InlineData("""{ "payload": "just {{ customer.id }}" }""", Channel.Webhook)]
    [InlineData("""{ "subject": "s", "html": "<p>h</p>" }""", Channel.Email)]
    [InlineData("""{ "subject": "s", "text": "t" }""", Channel.Email)]
    [InlineData("""{ "subject": "s", "html": "h", "text": "t" }""", Channel.Email)]
    [InlineData("""{ "text": "t" }""", Channel.Sms)]
    [InlineData("""{ "body": "b" }""", Channel.Push)]
    [InlineData("""{ "title": "t", "body": "b", "url": "app://x" }""", Channel.Push)]
    [InlineData("""{ "title": "t" }""", Channel.Inapp)]
    [InlineData("""{ "body": "b", "url": "u", "image": "i" }""", Channel.Inapp)]
    public void Template_with_the_channels_fields_is_valid(string json, Channel channel)
    {
        var (template, problems) = TemplateKit.Inline(json, channel);

        Assert.Empty(problems);
        Assert.Equal(channel, template!.Channel);
    }

    [Theory]
    [InlineData("{ }", Channel.Webhook, "$.nodes[2].template.payload", "is required")]
    [InlineData("""{ "payload": null }""", Channel.Webhook, "$.nodes[2].template.payload", "is required")]
    [InlineData("""{ "html": "h" }""", Channel.Email, "$.nodes[2].template.subject", "is required")]
    [InlineData("""{ "subject": "s" }""", Channel.Email, "$.nodes[2].template", "must have 'html' or 'text' (or both)")]
    [InlineData("{ }", Channel.Sms, "$.nodes[2].template.text", "is required")]
    [InlineData("""{ "title": "t" }""", Channel.Push, "$.nodes[2].template.body", "is required")]
    [InlineData("""{ "url": "u" }""", Channel.Inapp, "$.nodes[2].template", "must have 'title' or 'body' (or both)")]
    public void Template_without_a_required_field_is_refused(string json, Channel channel, string path, string message)
    {
        var (template, problems) = TemplateKit.Inline(json, channel);

        Assert.Null(template);
        Assert.Equal(new DefinitionProblem(path, message), Assert.Single(problems));
    }

    [Theory]
    [InlineData("""{ "text": "t", "subject": "s" }""", Channel.Sms, "subject", "'subject' belongs to the email channel, not sms")]
    [InlineData("""{ "text": "t", "title": "s" }""", Channel.Sms, "title", "'title' belongs to the push and inapp channels, not sms")]
    [InlineData("""{ "body": "b", "text": "t" }""", Channel.Push, "text", "'text' belongs to the email and sms channels, not push")]
    [InlineData("""{ "body": "b", "image": "i" }""", Channel.Push, "image", "'image' belongs to the inapp channel, not push")]
    [InlineData("""{ "payload": {}, "body": "b" }""", Channel.Webhook, "body", "'body' belongs to the push and inapp channels, not webhook")]
    [InlineData("""{ "text": "t", "payload": {} }""", Channel.Sms, "payload", "'payload' belongs to the webhook channel, not sms")]
    public void Field_of_another_channel_is_refused_naming_its_channel(string json, Channel channel, string field, string message)
    {
        var (template, problems) = TemplateKit.Inline(json, channel);

        Assert.Null(template);
        Assert.Equal(new DefinitionProblem($"$.nodes[2].template.{field}", message), Assert.Single(problems));
    }

    [Fact]
    public void Field_of_no_channel_is_not_a_known_field()
    {
        var (_, problems) = TemplateKit.Inline("""{ "text": "t", "footer": "f" }""", Channel.Sms);

        Assert.Equal(new DefinitionProblem("$.nodes[2].template.footer", "is not a known field here"), Assert.Single(problems));
    }

    [Fact]
    public void Misspelt_field_suggests_the_channels_field()
    {
        var (_, problems) = TemplateKit.Inline("""{ "subjet": "s", "text": "t" }""", Channel.Email);

        Assert.Contains(problems, p => p.Path == "$.nodes[2].template.subjet" && p.Message.Contains("did you mean 'subject'?", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "text": 5 }""", "must be a string, not a number")]
    [InlineData("""{ "text": { "en": "hi" } }""", "must be a string, not an object")]
    [InlineData("""{ "text": "" }""", "must not be empty")]
    public void Text_field_that_is_not_a_string_is_refused(string json, string message)
    {
        var (_, problems) = TemplateKit.Inline(json, Channel.Sms);

        Assert.Equal(new DefinitionProblem("$.nodes[2].template.text", message), Assert.Single(problems));
    }

    [Fact]
    public void Inline_template_may_not_name_a_channel()
    {
        var (_, problems) = TemplateKit.Inline("""{ "channel": "sms", "text": "t" }""", Channel.Sms);

        Assert.Equal("$.nodes[2].template.channel", Assert.Single(problems).Path);
    }

    [Fact]
    public void Inline_template_that_is_not_an_object_is_refused()
    {
        var (_, problems) = TemplateKit.Inline("\"Hi\"", Channel.Sms);

        Assert.Equal(new DefinitionProblem("$.nodes[2].template", "must be an object, not a string"), Assert.Single(problems));
    }

    [Fact]
    public void Liquid_that_does_not_parse_is_refused_with_fluids_position()
    {
        var (_, problems) = TemplateKit.Inline("""{ "subject": "Hi {{ customer.traits.name }", "text": "t" }""", Channel.Email);

        var problem = Assert.Single(problems);
        Assert.Equal("$.nodes[2].template.subject", problem.Path);
        Assert.StartsWith("is not valid Liquid: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("(1:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_liquid_in_a_payload_is_reported_at_its_place_in_the_payload()
    {
        var (_, problems) = TemplateKit.Inline(
            """{ "payload": { "customer": { "id": "{{ customer.id " }, "tags": ["ok", "{% if %}"] } }""", Channel.Webhook);

        Assert.Equal(
            ["$.nodes[2].template.payload.customer.id", "$.nodes[2].template.payload.tags[1]"],
            problems.Select(p => p.Path));
        Assert.All(problems, p => Assert.StartsWith("is not valid Liquid: ", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Payload_key_written_twice_is_refused()
    {
        var (_, problems) = TemplateKit.Inline("""{ "payload": { "a": 1, "a": 2 } }""", Channel.Webhook);

        Assert.Equal(new DefinitionProblem("$.nodes[2].template.payload.a", "appears more than once"), Assert.Single(problems));
    }

    [Fact]
    public void Unknown_filter_is_refused_rather_than_silently_ignored()
    {
        var (_, problems) = TemplateKit.Inline("""{ "text": "Hi {{ customer.traits.name | defualt: 'there' }}" }""", Channel.Sms);

        Assert.Equal(
            new DefinitionProblem("$.nodes[2].template.text", "uses the filter 'defualt', which does not exist"),
            Assert.Single(problems));
    }

    [Fact]
    public void Unknown_filter_inside_a_loop_in_a_payload_is_refused()
    {
        var (_, problems) = TemplateKit.Inline(
            """{ "payload": { "x": "{% for t in customer.tags %}{% if t %}{{ t | shout }}{% endif %}{% endfor %}" } }""", Channel.Webhook);

        Assert.Equal(new DefinitionProblem("$.nodes[2].template.payload.x", "uses the filter 'shout', which does not exist"), Assert.Single(problems));
    }

    [Theory]
    [InlineData("{% include 'footer' %}")]
    [InlineData("{% render 'footer' %}")]
    public void Include_and_render_are_refused_when_saved(string liquid)
    {
        var (_, problems) = TemplateKit.Inline(JsonSerializer.Serialize(new { text = liquid }), Channel.Sms);

        Assert.StartsWith("is not valid Liquid: Unknown tag", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_template_keeps_its_channel_name_and_description()
    {
        var parsed = TemplateKit.Stored("""
            { "channel": "email", "name": "Welcome", "description": "First mail",
              "subject": "Hi {{ customer.traits.name }}", "html": "<p>Hi</p>", "text": "Hi" }
            """);

        var template = Assert.IsType<MessageTemplate>(parsed.Value);
        Assert.Equal(Channel.Email, template.Channel);
        Assert.Equal("Welcome", template.Name);
        Assert.Equal("First mail", template.Description);
        Assert.Equal("Hi {{ customer.traits.name }}", template.Sources["subject"]);
        Assert.Equal(["html", "subject", "text"], template.Sources.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "text": "t" }""", "$.channel", "is required")]
    [InlineData("""{ "channel": "fax", "text": "t" }""", "$.channel", "must be one of 'webhook', 'email', 'sms', 'push', 'inapp', not 'fax'")]
    [InlineData("""{ "channel": "Sms", "text": "t" }""", "$.channel", "must be one of 'webhook', 'email', 'sms', 'push', 'inapp', not 'Sms'")]
    [InlineData("""{ "channel": "sms", "text": "t", "name": 3 }""", "$.name", "must be a string, not a number")]
    [InlineData("""{ "channel": "sms", "text": "t", "owner": "me" }""", "$.owner", "is not a known field here")]
    [InlineData("""{ "channel": "sms", "text": "{{ x" }""", "$.text", null)]
    [InlineData("[]", "$", "must be an object, not an array")]
    public void Stored_template_problems_are_rooted_at_the_body(string json, string path, string? message)
    {
        var parsed = TemplateKit.Stored(json);

        Assert.Null(parsed.Value);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal(path, problem.Path);
        if (message is not null)
        {
            Assert.Equal(message, problem.Message);
        }
    }

    [Fact]
    public void Stored_template_written_back_as_json_reads_the_same()
    {
        var template = TemplateKit.Valid("""
            { "channel": "webhook", "name": "CRM", "payload": { "id": "{{ customer.id }}", "n": [1, true, null] } }
            """);

        var again = TemplateKit.Valid(template.ToJson().ToJsonString());

        Assert.Equal(
            """{"channel":"webhook","name":"CRM","payload":{"id":"{{ customer.id }}","n":[1,true,null]}}""",
            again.ToJson().ToJsonString());
    }

    [Fact]
    public void Every_template_of_the_spec_examples_is_valid()
    {
        var count = 0;
        foreach (var file in Directory.GetFiles("examples", "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            if (!document.RootElement.TryGetProperty("nodes", out var nodes))
            {
                continue;
            }

            foreach (var node in nodes.EnumerateArray().Where(n => n.GetProperty("type").GetString() == "send"))
            {
                Assert.True(ChannelFields.TryParse(node.GetProperty("channel").GetString()!, out var channel));
                var templates = node.TryGetProperty("variants", out var variants)
                    ? variants.EnumerateArray().Select(v => v.GetProperty("template"))
                    : [node.GetProperty("template")];
                foreach (var template in templates)
                {
                    var problems = new Problems();
                    Assert.NotNull(TemplateReader.ReadInline(template, channel, "$", problems));
                    Assert.Empty(problems.All);
                    count++;
                }
            }
        }

        Assert.True(count >= 10, $"only {count} example templates found");
    }
}
