using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using MimeKit;
using Waymark.Definitions.Templates;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>The email channel's message and unsubscribe token, without a server.</summary>
public class EmailMessageTests
{
    private static readonly Uri Unsubscribe = new("https://links.example/u/token");

    private static OutgoingMessage Message(string? address, params (string Field, string Text)[] fields) => new(
        "acme", "u:ada", "ada", "01hx8k2m4n6p8r0t2v4w6y8z0a", "journey", "mail", Channel.Email, null,
        new RenderedContent(fields.ToImmutableDictionary(f => f.Field, f => f.Text, StringComparer.Ordinal), null),
        new DateTimeOffset(2026, 5, 4, 10, 30, 0, TimeSpan.Zero), address);

    [Fact]
    public void Text_and_html_become_the_parts_of_a_multipart_alternative_text_first()
    {
        var (mime, problem) = EmailMessage.Build(Message("ada@example.test", ("subject", "Hi"), ("text", "plain"), ("html", "<b>rich</b>")), "Acme <news@acme.example>", Unsubscribe);

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

    [Fact]
    public void Only_the_parts_the_template_rendered_are_sent_and_an_empty_message_has_an_empty_text_part()
    {
        var (htmlOnly, _) = EmailMessage.Build(Message("ada@example.test", ("subject", "Hi"), ("html", "<b>rich</b>"), ("text", "")), "news@acme.example", Unsubscribe);
        var (empty, _) = EmailMessage.Build(Message("ada@example.test"), "news@acme.example", Unsubscribe);

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
        var (mime, problem) = EmailMessage.Build(Message(address, ("text", "x")), "news@acme.example", Unsubscribe);

        Assert.Null(mime);
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void An_unsubscribe_token_reads_back_only_under_the_key_that_signed_it()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var claims = new UnsubscribeToken("acme", "u:ada@example.test", "01hx8k2m4n6p8r0t2v4w6y8z0a", Channel.Email);

        var token = claims.Sign(key);

        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
        Assert.Equal(claims, UnsubscribeToken.Read(token));
        Assert.True(UnsubscribeToken.IsSignedWith(token, key));
        Assert.False(UnsubscribeToken.IsSignedWith(token, RandomNumberGenerator.GetBytes(32)));
        var forged = new UnsubscribeToken("acme", "u:grace", claims.MessageId, Channel.Email).Sign(RandomNumberGenerator.GetBytes(32));
        Assert.False(UnsubscribeToken.IsSignedWith(forged.Split('.')[0] + "." + token.Split('.')[1], key));
        Assert.Null(UnsubscribeToken.Read("garbage"));
        Assert.Null(UnsubscribeToken.Read("a.b.c"));
        Assert.False(UnsubscribeToken.IsSignedWith("", key));
    }

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
