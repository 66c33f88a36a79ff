using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using MimeKit;
using Waymark.Definitions.Templates;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>The email channel's message and tracking tokens, without a server.</summary>
public class EmailMessageTests
{
    private static readonly Uri Unsubscribe = new("https://links.example/u/token");

    private static readonly Uri Pixel = new("https://links.example/o/token");

    private static OutgoingMessage Message(string? address, params (string Field, string Text)[] fields) => new(
        "acme", "u:ada", "ada", "01hx8k2m4n6p8r0t2v4w6y8z0a", "journey", "mail", Channel.Email, null,
        new RenderedContent(fields.ToImmutableDictionary(f => f.Field, f => f.Text, StringComparer.Ordinal), null),
        new DateTimeOffset(2026, 5, 4, 10, 30, 0, TimeSpan.Zero), address);

    [Fact]
    public void Text_and_html_become_the_parts_of_a_multipart_alternative_text_first()
    {
        var (mime, problem) = EmailMessage.Build(Message("ada@example.test", ("subject", "Hi"), ("text", "plain"), ("html", "<b>rich</b>")), "Acme <news@acme.example>", Unsubscribe, Pixel);

        Assert.Null(problem);
        using (mime)
        {
            var parts = Assert.IsType<MultipartAlternative>(mime!.Body);
            Assert.Equal(["text/plain", "text/html"], parts.Select(p => p.ContentType.MimeType));
            Assert.Equal("Hi", mime.Subject);
            Assert.Equal("01hx8k2m4n6p8r0t2v4w6y8z0a@waymark", mime.MessageId);
            Assert.Equal("<https://links.example/u/token>", mime.Headers[HeaderId.ListUnsubscribe]);
            Assert.Equal("List-Unsubscribe=One-Click", mime.Headers["List-Unsubscribe-Post"]);
            Assert.Equal("01hx8k2m4n6p8r0t2v4w6y8z0a", mime.Headers["Waymark-Message-Id"]);
        }
    }

    [Theory]
    [InlineData("<b>rich</b>", "<b>rich</b><img src=\"https://links.example/o/token\"")]
    [InlineData("<html><BODY><b>rich</b></BODY></html>", "<html><BODY><b>rich</b><img src=\"https://links.example/o/token\"")]
    public void The_html_part_ends_with_the_open_pixel(string html, string start)
    {
        var (mime, _) = EmailMessage.Build(Message("ada@example.test", ("text", "plain"), ("html", html)), "news@acme.example", Unsubscribe, Pixel);

        using (mime)
        {
            Assert.StartsWith(start, mime!.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("width=\"1\" height=\"1\"", mime.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("links.example/o/", mime.TextBody, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Only_the_parts_the_template_rendered_are_sent_and_an_empty_message_has_an_empty_text_part()
    {
        var (htmlOnly, _) = EmailMessage.Build(Message("ada@example.test", ("subject", "Hi"), ("html", "<b>rich</b>"), ("text", "")), "news@acme.example", Unsubscribe, Pixel);
        var (empty, _) = EmailMessage.Build(Message("ada@example.test"), "news@acme.example", Unsubscribe, Pixel);

        using (htmlOnly)
        using (empty)
        {
            Assert.Equal("text/html", Assert.IsType<TextPart>(htmlOnly!.Body).ContentType.MimeType);
            Assert.Equal("text/plain", Assert.IsType<TextPart>(empty!.Body).ContentType.MimeType);
            Assert.Equal("", empty.Subject);
        }
    }

    [Theory]
    [InlineData(null, "no address")]
    [InlineData("   ", "no address")]
    [InlineData("not an address", "the customer's email address is not a valid address")]
    [InlineData("ada@", "the customer's email address is not a valid address")]
    public void A_message_without_a_usable_address_is_not_built(string? address, string reason)
    {
        var (mime, problem) = EmailMessage.Build(Message(address, ("text", "x")), "news@acme.example", Unsubscribe, Pixel);

        Assert.Null(mime);
        Assert.Equal(reason, problem);
    }

    [Theory]
    [InlineData(TrackingPurpose.Click, "https://shop.example/cart?x=1")]
    [InlineData(TrackingPurpose.Open, "")]
    [InlineData(TrackingPurpose.Unsubscribe, "")]
    public void A_tracking_token_reads_back_only_under_the_key_that_signed_it(TrackingPurpose purpose, string value)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var claims = new TrackingToken(purpose, "acme", "u:ada@example.test", "01hx8k2m4n6p8r0t2v4w6y8z0a", value);

        var token = claims.Sign(key);

        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
        Assert.Equal(claims, TrackingToken.Read(token));
        Assert.True(TrackingToken.IsSignedWith(token, key));
        Assert.False(TrackingToken.IsSignedWith(token, RandomNumberGenerator.GetBytes(32)));
        var forged = (claims with { CustomerKey = "u:grace" }).Sign(RandomNumberGenerator.GetBytes(32));
        Assert.False(TrackingToken.IsSignedWith(forged.Split('.')[0] + "." + token.Split('.')[1], key));
        Assert.Null(TrackingToken.Read("garbage"));
        Assert.Null(TrackingToken.Read("a.b.c"));
        Assert.False(TrackingToken.IsSignedWith("", key));
    }

    [Theory]
    [InlineData("https://shop.example/cart", true)]
    [InlineData("http://shop.example", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("/relative", false)]
    [InlineData("ftp://files.example/x", false)]
    public void Only_web_urls_are_click_targets(string target, bool allowed) => Assert.Equal(allowed, TrackingToken.IsWebUrl(target));

    [Theory]
    [InlineData("https://go.acme.example/w/", null, "https://go.acme.example/w/")]
    [InlineData(null, "http://*:8080;https://+:8443", "http://localhost:8080/")]
    [InlineData(null, null, "http://localhost:5000/")]
    [InlineData("ftp://acme.example", null, null)]
    [InlineData("https://acme.example/?q=1", null, null)]
    public void The_public_base_url_is_the_configured_one_else_the_gateways_own(string? configured, string? urls, string? expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Waymark:PublicBaseUrl"] = configured,
            ["urls"] = urls,
        }).Build();

        Assert.Equal(expected, PublicLinkOptions.BaseUrlFrom(configuration)?.AbsoluteUri);
    }
}
