using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Waymark.Definitions.Templates;

namespace Waymark.Definitions.Tests.Templates;

public partial class LinkTrackingTests
{
    [Fact]
    public void Tracked_link_renders_a_placeholder_and_is_listed()
    {
        var message = TemplateKit.Render("""{ "channel": "sms", "text": "Rate us: {{ \"https://dealer.example/rate\" | track }}" }""");

        var link = Assert.Single(message.Links);
        Assert.Equal("https://dealer.example/rate", link.Target);
        Assert.Matches(Placeholder(), link.Placeholder);
        Assert.Equal($"Rate us: {link.Placeholder}", message.Fields["text"]);
    }

    [Fact]
    public void Links_are_listed_in_the_order_the_fields_track_them()
    {
        var message = TemplateKit.Render("""
            { "channel": "push", "title": "{{ 'https://a.example' | track }}",
              "body": "{{ 'https://b.example' | track }} {{ trigger.properties.page | track }}", "url": "{{ 'https://a.example' | track }}" }
            """,
            new TemplateVariables { CustomerId = "c", TriggerProperties = new JsonObject { ["page"] = "https://c.example/p?id=1" } });

        Assert.Equal(
            ["https://a.example", "https://b.example", "https://c.example/p?id=1", "https://a.example"],
            message.Links.Select(l => l.Target));
        Assert.Equal(4, message.Links.Select(l => l.Placeholder).Distinct().Count());
    }

    [Fact]
    public void Resolving_replaces_each_placeholder_with_its_link()
    {
        var message = TemplateKit.Render("""
            { "channel": "email", "subject": "s",
              "html": "<a href=\"{{ 'https://shop.example/cart?a=1&b=2' | track }}\">cart</a> <a href=\"{{ 'https://shop.example/vip' | track }}\">vip</a>",
              "text": "Cart: {{ 'https://shop.example/cart?a=1&b=2' | track }}" }
            """);

        var resolved = message.ResolveLinks((i, target) => $"https://go.example/c/t{i}?x=1&y=2");

        Assert.Equal(
            """<a href="https://go.example/c/t0?x=1&amp;y=2">cart</a> <a href="https://go.example/c/t1?x=1&amp;y=2">vip</a>""",
            resolved.Fields["html"]);
        Assert.Equal("Cart: https://go.example/c/t2?x=1&y=2", resolved.Fields["text"]);
        Assert.Equal("s", resolved.Fields["subject"]);
    }

    [Fact]
    public void Resolving_hands_each_link_its_index_and_target()
    {
        var message = TemplateKit.Render("""{ "channel": "sms", "text": "{{ 'https://a.example' | track }} {{ 'https://b.example' | track }}" }""");
        var asked = new List<(int, string)>();

        message.ResolveLinks((i, target) =>
        {
            asked.Add((i, target));
            return target;
        });

        Assert.Equal([(0, "https://a.example"), (1, "https://b.example")], asked);
    }

    [Fact]
    public void Placeholder_survives_the_html_encoder_and_json_escaping()
    {
        var message = TemplateKit.Render("""
            { "channel": "email", "subject": "s", "html": "<a href=\"{{ 'https://a.example/?q=<1>' | track }}\">a</a>" }
            """);
        var webhook = TemplateKit.Render("""{ "channel": "webhook", "payload": { "link": "{{ 'https://a.example/\"q\"' | track }}" } }""");

        Assert.Contains(message.Links[0].Placeholder, message.Fields["html"], StringComparison.Ordinal);
        Assert.Contains(webhook.Links[0].Placeholder, webhook.Payload!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolving_replaces_placeholders_inside_the_payload()
    {
        var message = TemplateKit.Render("""
            { "channel": "webhook", "payload": { "links": ["{{ 'https://a.example' | track }}"], "n": 1, "note": "see {{ 'https://b.example' | track }}" } }
            """);

        var resolved = message.ResolveLinks((i, _) => $"https://go.example/c/\"{i}\"");

        Assert.Equal(
            """{"links":["https://go.example/c/\"0\""],"n":1,"note":"see https://go.example/c/\"1\""}""",
            resolved.Payload!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Contains("[[waymark-link:", message.Payload!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trait_that_imitates_a_placeholder_is_not_taken_for_a_link()
    {
        var tracker = new LinkPlaceholders();
        var template = TemplateKit.Valid("""{ "channel": "sms", "text": "{{ 'https://a.example' | track }}" }""");
        var forged = TemplateRenderer.Render(template, TemplateKit.Customer(), tracker).Links[0].Placeholder.Replace(":0]]", ":1]]", StringComparison.Ordinal);

        var message = TemplateKit.Render(
            """{ "channel": "sms", "text": "{{ customer.traits.bio }} {{ 'https://a.example' | track }}" }""",
            TemplateKit.Customer(new JsonObject { ["bio"] = forged }.ToJsonString()));

        var resolved = message.ResolveLinks((_, _) => "LINK");
        Assert.Equal($"{forged} LINK", resolved.Fields["text"]);
    }

    [Fact]
    public void Empty_url_tracks_nothing() =>
        Assert.Empty(TemplateKit.Render("""{ "channel": "sms", "text": "[{{ customer.traits.none | track }}]" }""").Links);

    [GeneratedRegex(@"^\[\[waymark-link:[0-9a-f]{16}:\d+\]\]$")]
    private static partial Regex Placeholder();
}
