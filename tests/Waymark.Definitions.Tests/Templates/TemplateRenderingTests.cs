using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Waymark.Definitions.Templates;

namespace Waymark.Definitions.Tests.Templates;

public class TemplateRenderingTests
{
    private static readonly TemplateVariables Everything = new()
    {
        CustomerId = "cust-7",
        Traits = JsonNode.Parse("""{ "name": "Mei", "address": { "city": "Hangzhou", "lines": ["1 West Lake Rd"] } }""")!.AsObject(),
        Tags = ["vip", "beta"],
        EventName = "order_paid",
        EventProperties = JsonNode.Parse("""{ "orderId": "A-17", "amount": 120.50 }""")!.AsObject(),
        TriggerProperties = JsonNode.Parse("""{ "model": "Roadster" }""")!.AsObject(),
        JourneyId = "unpaid-order",
        JourneyName = "Unpaid order reminder",
        MessageId = "msg-42",
        MessageVariant = "urgency",
    };

    private static readonly MessageTemplate Html = TemplateKit.Valid(
        """{ "channel": "email", "subject": "s", "html": "<p>{{ customer.traits.name }}</p>" }""");

    private static readonly MessageTemplate Webhook = TemplateKit.Valid(
        """{ "channel": "webhook", "payload": { "greeting": "Hi {{ customer.traits.name }}" } }""");

    [Theory]
    [InlineData("{{ customer.id }}", "cust-7")]
    [InlineData("{{ customer.traits.name }}", "Mei")]
    [InlineData("{{ customer.tags | join: ',' }}", "vip,beta")]
    [InlineData("{{ event.name }}", "order_paid")]
    [InlineData("{{ event.properties.orderId }}", "A-17")]
    [InlineData("{{ event.properties.amount | floor }}", "120")]
    [InlineData("{{ trigger.properties.model }}", "Roadster")]
    [InlineData("{{ journey.id }}", "unpaid-order")]
    [InlineData("{{ journey.name }}", "Unpaid order reminder")]
    [InlineData("{{ message.id }}", "msg-42")]
    [InlineData("{{ message.variant }}", "urgency")]
    public void Every_variable_renders(string liquid, string expected) =>
        Assert.Equal(expected, TemplateKit.Sms(liquid, Everything));

    [Theory]
    [InlineData("{{ customer.traits.address.city }}", "Hangzhou")]
    [InlineData("{{ customer.traits.address.lines[0] }}", "1 West Lake Rd")]
    [InlineData("{{ customer.traits.address.lines | size }}", "1")]
    [InlineData("{{ customer.traits['address']['city'] }}", "Hangzhou")]
    public void Nested_traits_render(string liquid, string expected) =>
        Assert.Equal(expected, TemplateKit.Sms(liquid, Everything));

    [Theory]
    [InlineData("[{{ customer.traits.nickname }}]")]
    [InlineData("[{{ customer.traits.address.zip }}]")]
    [InlineData("[{{ event.properties.missing.deeper }}]")]
    [InlineData("[{{ nothing.at.all }}]")]
    public void Missing_variable_renders_empty(string liquid) =>
        Assert.Equal("[]", TemplateKit.Sms(liquid, Everything));

    [Fact]
    public void Variables_never_given_render_empty()
    {
        var bare = new TemplateVariables { CustomerId = "c" };

        Assert.Equal("c|||||", TemplateKit.Sms(
            "{{ customer.id }}|{{ customer.traits.name }}|{{ event.name }}|{{ trigger.properties.x }}|{{ journey.name }}|{{ message.variant }}", bare));
    }

    [Theory]
    [InlineData("""{ "partnerName": "Li" }""", "Gifts for Li end tonight.")]
    [InlineData("{}", "Gifts for your love end tonight.")]
    [InlineData("""{ "partnerName": null }""", "Gifts for your love end tonight.")]
    [InlineData("""{ "partnerName": "" }""", "Gifts for your love end tonight.")]
    public void Default_filter_fills_a_missing_trait(string traits, string expected) =>
        Assert.Equal(expected, TemplateKit.Sms(
            "Gifts for {{ customer.traits.partnerName | default: 'your love' }} end tonight.", TemplateKit.Customer(traits)));

    [Theory]
    [InlineData("{% if customer.tags contains 'vip' %}VIP{% else %}regular{% endif %}", "VIP")]
    [InlineData("{% if customer.tags contains 'gold' %}gold{% else %}regular{% endif %}", "regular")]
    [InlineData("{% for tag in customer.tags %}<{{ tag }}>{% endfor %}", "<vip><beta>")]
    [InlineData("{{ customer.tags | size }}", "2")]
    public void Tags_render_as_an_array(string liquid, string expected) =>
        Assert.Equal(expected, TemplateKit.Sms(liquid, Everything));

    [Theory]
    [InlineData("""{ "age": 31 }""", "{% if customer.traits.age >= 30 %}30+{% else %}young{% endif %}", "30+")]
    [InlineData("""{ "age": 29 }""", "{% if customer.traits.age >= 30 %}30+{% else %}young{% endif %}", "young")]
    [InlineData("""{ "points": 10 }""", "{{ customer.traits.points | plus: 5 }}", "15")]
    [InlineData("""{ "ok": true }""", "{% if customer.traits.ok %}yes{% endif %}", "yes")]
    [InlineData("""{ "ok": false }""", "{% if customer.traits.ok %}yes{% else %}no{% endif %}", "no")]
    [InlineData("""{ "items": [{ "n": "a" }, { "n": "b" }] }""", "{% for i in customer.traits.items %}{{ i.n }}{% endfor %}", "ab")]
    [InlineData("""{ "big": 1e300 }""", "{{ customer.traits.big }}", "1e300")]
    public void Json_values_keep_their_type(string traits, string liquid, string expected) =>
        Assert.Equal(expected, TemplateKit.Sms(liquid, TemplateKit.Customer(traits)));

    [Fact]
    public void Trait_keys_are_case_sensitive_as_in_json() =>
        Assert.Equal("[a|B]", TemplateKit.Sms("[{{ customer.traits.k }}|{{ customer.traits.K }}]", TemplateKit.Customer("""{ "k": "a", "K": "B" }""")));

    [Fact]
    public void Html_field_encodes_values_but_text_and_subject_do_not()
    {
        var message = TemplateKit.Render(
            """{ "channel": "email", "subject": "For {{ customer.traits.name }}", "html": "<p>{{ customer.traits.name }}</p>", "text": "{{ customer.traits.name }}" }""",
            TemplateKit.Customer("""{ "name": "<script>alert('x')</script> & \"Co\"" }"""));

        Assert.Equal("<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Co&quot;</p>", message.Fields["html"]);
        Assert.Equal("<script>alert('x')</script> & \"Co\"", message.Fields["text"]);
        Assert.Equal("For <script>alert('x')</script> & \"Co\"", message.Fields["subject"]);
    }

    [Fact]
    public void Html_field_leaves_non_ascii_text_readable()
    {
        var message = TemplateKit.Render(
            """{ "channel": "email", "subject": "s", "html": "<p>{{ customer.traits.name }}</p>" }""",
            TemplateKit.Customer("""{ "name": "王小明 José" }"""));

        Assert.Equal("<p>王小明 José</p>", message.Fields["html"]);
    }

    [Fact]
    public void Any_trait_round_trips_through_the_html_encoder() =>
        Gen.String.Sample(name =>
        {
            var variables = new TemplateVariables { CustomerId = "c", Traits = new JsonObject { ["name"] = name } };
            var message = TemplateRenderer.Render(Html, variables, new LinkPlaceholders());

            var html = message.Fields["html"];
            Assert.DoesNotContain('<', html[3..^4]);
            Assert.Equal($"<p>{name}</p>", WebUtility.HtmlDecode(html));
        });

    [Fact]
    public void Payload_strings_render_and_other_values_stay_as_written()
    {
        var message = TemplateKit.Render(
            """{ "channel": "webhook", "payload": { "task": "outbound_call", "customerId": "{{ customer.id }}", "n": 3, "ok": true, "none": null, "list": ["{{ customer.traits.name }}", 2] } }""",
            Everything);

        Assert.Equal(
            """{"task":"outbound_call","customerId":"cust-7","n":3,"ok":true,"none":null,"list":["Mei",2]}""",
            message.Payload!.ToJsonString());
        Assert.Empty(message.Fields);
    }

    [Fact]
    public void Payload_keys_are_not_rendered()
    {
        var message = TemplateKit.Render("""{ "channel": "webhook", "payload": { "{{ customer.id }}": "x" } }""", Everything);

        Assert.Equal("x", message.Payload!["{{ customer.id }}"]!.GetValue<string>());
    }

    [Fact]
    public void Trait_with_quotes_and_braces_gives_valid_json_payload() =>
        Gen.String.Sample(name =>
        {
            var variables = new TemplateVariables { CustomerId = "c", Traits = new JsonObject { ["name"] = name } };
            var message = TemplateRenderer.Render(Webhook, variables, new LinkPlaceholders());

            using var document = JsonDocument.Parse(message.Payload!.ToJsonString());
            Assert.Equal($"Hi {name}", document.RootElement.GetProperty("greeting").GetString());
        });

    [Fact]
    public void Assign_in_one_field_does_not_leak_into_another()
    {
        var message = TemplateKit.Render(
            """{ "channel": "push", "title": "{% assign x = 'set' %}{{ x }}", "body": "[{{ x }}]" }""");

        Assert.Equal("set", message.Fields["title"]);
        Assert.Equal("[]", message.Fields["body"]);
    }

    [Fact]
    public void Rendering_twice_gives_the_same_text()
    {
        var template = TemplateKit.Valid("""{ "channel": "sms", "text": "Hi {{ customer.traits.name }}" }""");

        var first = TemplateRenderer.Render(template, Everything, new LinkPlaceholders());
        var second = TemplateRenderer.Render(template, Everything with { Traits = new JsonObject { ["name"] = "Jun" } }, new LinkPlaceholders());

        Assert.Equal("Hi Mei", first.Fields["text"]);
        Assert.Equal("Hi Jun", second.Fields["text"]);
    }
}
