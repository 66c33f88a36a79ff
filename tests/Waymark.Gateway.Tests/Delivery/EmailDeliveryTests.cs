using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Tests.Customers;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;
using Waymark.Grains.Delivery;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// The email channel against a real SMTP server on loopback (<see cref="SmtpSink"/>): journeys send through it end to
/// end over HTTP, and the channel's answers to what a server can say are checked by dispatching to it directly.
/// </summary>
public sealed class EmailDeliveryTests(EmailDeliveryTests.Node node) : IClassFixture<EmailDeliveryTests.Node>
{
    private const string PublicBaseUrl = "https://links.waymark.test/base";

    /// <summary>One gateway whose default workspace sends email through one SMTP server.</summary>
    public sealed class Node : IAsyncLifetime
    {
        private readonly ScratchDirectory data = new();

        public GatewayHost Host { get; private set; } = null!;

        internal SmtpSink Smtp { get; private set; } = null!;

        internal Segment Segment { get; private set; } = null!;

        internal DesignTeam Team { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Smtp = await SmtpSink.StartAsync();
            Host = new GatewayHost(data.Path, new Dictionary<string, string?> { ["Waymark:PublicBaseUrl"] = PublicBaseUrl });
            var (writeKey, adminKey) = Host.BootstrapKeys();
            Segment = new Segment(Host, writeKey, adminKey);
            Team = await DesignTeam.JoinAsync(Host, writeKey, adminKey);
            await ConfigureEmailAsync(Team.Admin, new { host = "127.0.0.1", port = Smtp.Port, tls = "none", from = "Waymark Tests <news@waymark.test>" });

            // These newsletters run on the real clock: the default quiet hours (22:00 to 08:00) would hold them at night.
            await DesignTeam.ExpectAsync(await Team.Admin.PutAsJsonAsync("/api/workspace/settings", new { quietHours = (object?)null }), HttpStatusCode.OK);
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            await Smtp.DisposeAsync();
            data.Dispose();
        }
    }

    private GatewayHost Host => node.Host;

    private SmtpSink Smtp => node.Smtp;

    private Segment Segment => node.Segment;

    private IMessageChannel Email => Host.Services.GetRequiredKeyedService<IMessageChannel>(Channel.Email);

    /// <summary>Sends one email on <paramref name="trigger"/>: a subject, an HTML and a text part, each with the tracked link.</summary>
    private static JsonNode Newsletter(string trigger, string marker) => JsonNode.Parse($$$"""
        {
          "name": "Newsletter {{{marker}}}",
          "trigger": { "type": "event", "event": "{{{trigger}}}" },
          "entry": { "reentry": "always" },
          "start": "mail",
          "nodes": [
            { "id": "mail", "type": "send", "channel": "email",
              "template": {
                "subject": "{{{marker}}} for {{ customer.traits.name | default: 'you' }}",
                "html": "<p>Hi {{ customer.traits.name }}, <a href=\"{{ 'https://example.com/x' | track }}\">see what is new</a></p>",
                "text": "Hi {{ customer.traits.name }}, see what is new: {{ 'https://example.com/x' | track }}"
              },
              "next": "done" },
            { "id": "done", "type": "exit" }
          ]
        }
        """)!;

    [Fact]
    public async Task An_email_journey_delivers_a_text_and_html_message_with_the_link_its_message_id_and_one_click_unsubscribe()
    {
        var (trigger, marker) = (Segment.NewId("signed_up"), Segment.NewId("News"));
        await node.Team.PublishAsync(Segment.NewId("news"), Newsletter(trigger, marker));
        var user = Segment.NewId("u");
        var address = $"{user}@example.test";
        await Segment.Send("identify", new { userId = user, traits = new { name = "Ada", email = address } });
        await Segment.Send("track", new { userId = user, @event = trigger });

        var mail = Assert.Single(await Poll.Until(() => Task.FromResult(Smtp.To(address)), m => m.Count > 0));
        var timeline = await Poll.Until(() => Segment.Timeline(user), items => items.Any(IsMessage));
        var record = timeline.Single(IsMessage);
        Assert.Equal("sent", record.GetProperty("status").GetString());
        var messageId = record.GetProperty("messageId").GetString()!;

        Assert.Equal($"{marker} for Ada", mail.Subject);
        Assert.Equal("news@waymark.test", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal("Waymark Tests", mail.From.Mailboxes.Single().Name);
        Assert.Equal(address, Assert.Single(mail.To.Mailboxes).Address);
        var alternative = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        // The tracked link: the same click link in both parts, signed for this message and naming the target.
        var click = Assert.Single(ClickLinks(mail.TextBody));
        Assert.Equal($"Hi Ada, see what is new: {click}", mail.TextBody?.Trim());
        Assert.Contains($"<a href=\"{click}\">see what is new</a>", mail.HtmlBody, StringComparison.Ordinal);
        var links = Host.Services.GetRequiredService<TrackingLinks>();
        Assert.Equal(
            new TrackingToken(TrackingPurpose.Click, "default", $"u:{user}", messageId, "https://example.com/x"),
            await links.VerifyAsync(click[$"{PublicBaseUrl}/c/".Length..], TrackingPurpose.Click));

        // The same id on every redelivery: Message-ID from the timeline's message id, and the id itself.
        Assert.Equal($"{messageId}@waymark", mail.MessageId);
        Assert.Equal(messageId, mail.Headers["Waymark-Message-Id"]);

        // RFC 8058 one-click unsubscribe, to a link under the public base URL whose token names this message.
        var unsubscribe = mail.Headers[HeaderId.ListUnsubscribe]?.Trim() ?? "";
        Assert.StartsWith($"<{PublicBaseUrl}/u/", unsubscribe, StringComparison.Ordinal);
        Assert.EndsWith(">", unsubscribe, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(
            new TrackingToken(TrackingPurpose.Unsubscribe, "default", $"u:{user}", messageId, ""),
            await links.VerifyAsync(unsubscribe[$"<{PublicBaseUrl}/u/".Length..^1], TrackingPurpose.Unsubscribe));

        // The open pixel closes the HTML part.
        Assert.Matches($"<img src=\"{Regex.Escape(PublicBaseUrl)}/o/[A-Za-z0-9_.-]+\" width=\"1\" height=\"1\"", mail.HtmlBody);
    }

    [Fact]
    public async Task Following_an_emails_links_counts_one_click_one_open_and_unsubscribes_from_email()
    {
        var (trigger, marker, journey) = (Segment.NewId("signed_up"), Segment.NewId("News"), Segment.NewId("news"));
        await node.Team.PublishAsync(journey, Newsletter(trigger, marker));
        var user = Segment.NewId("u");
        var address = $"{user}@example.test";
        await Segment.Send("identify", new { userId = user, traits = new { name = "Ada", email = address } });
        await Segment.Send("track", new { userId = user, @event = trigger });
        var mail = Assert.Single(await Poll.Until(() => Task.FromResult(Smtp.To(address)), m => m.Count > 0));
        using var browser = Host.CreateClient(new() { AllowAutoRedirect = false });

        // Twice each, as a customer clicks again and a mail client loads images again: each counts once.
        var click = Local(Assert.Single(ClickLinks(mail.TextBody)));
        var pixel = Local(Regex.Match(mail.HtmlBody ?? "", "<img src=\"([^\"]+)\"").Groups[1].Value);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            using var redirect = await browser.GetAsync(click);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("https://example.com/x", redirect.Headers.Location?.AbsoluteUri.TrimEnd('/'));
            using var image = await browser.GetAsync(pixel);
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/gif", image.Content.Headers.ContentType?.MediaType);
            Assert.True(image.Headers.CacheControl?.NoStore);
        }

        // One-click unsubscribe as a mail client posts it (RFC 8058).
        var unsubscribe = Local(mail.Headers[HeaderId.ListUnsubscribe]!.Trim()[1..^1]);
        using var oneClick = await browser.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);

        Assert.False((await Segment.Customer(user)).GetProperty("subscriptions").GetProperty("email").GetBoolean());
        var timeline = await Segment.Timeline(user);
        Assert.Equal(["unsubscribed", "opened", "clicked", "sent"], [.. timeline.Where(IsMessage).Select(i => i.GetProperty("status").GetString()!)]);
        var all = await Poll.Until(
            async () => (await node.Team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{journey}/stats")).GetProperty("messages").GetProperty("mail").GetProperty("all"),
            a => a.GetProperty("unsubscribed").GetInt64() == 1);
        Assert.Equal((1, 1, 1, 1), (all.GetProperty("sent").GetInt64(), all.GetProperty("opened").GetInt64(), all.GetProperty("clicked").GetInt64(), all.GetProperty("unsubscribed").GetInt64()));

        // A link whose token was altered is nobody's: 404, and nothing changes.
        using var forged = await browser.GetAsync(click[..^2] + (click[^2] == 'A' ? "B" : "A") + click[^1]);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_customer_without_an_email_address_gets_no_email_and_the_timeline_says_why()
    {
        var (trigger, marker) = (Segment.NewId("signed_up"), Segment.NewId("News"));
        await node.Team.PublishAsync(Segment.NewId("news"), Newsletter(trigger, marker));
        var user = Segment.NewId("u");
        await Segment.Send("identify", new { userId = user, traits = new { name = "Grace" } });
        await Segment.Send("track", new { userId = user, @event = trigger });

        // Failed by the channel ("no address") or suppressed before it by the sending rules ("no_address").
        var timeline = await Poll.Until(() => Segment.Timeline(user), items => items.Any(SaysNoAddress));
        Assert.Contains(timeline, SaysNoAddress);
        Assert.DoesNotContain(timeline, i => IsMessage(i) && i.GetProperty("status").GetString() == "sent");
        Assert.DoesNotContain(Smtp.Received(), r => r.Message.Subject?.StartsWith(marker, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_recipient_the_server_refuses_with_550_fails_at_once_with_the_servers_reason()
    {
        var (trigger, marker) = (Segment.NewId("signed_up"), Segment.NewId("News"));
        await node.Team.PublishAsync(Segment.NewId("news"), Newsletter(trigger, marker));
        var user = Segment.NewId("u");
        await Segment.Send("identify", new { userId = user, traits = new { email = $"reject-{user}@example.test" } });
        await Segment.Send("track", new { userId = user, @event = trigger });

        // At once: well before the first redelivery (30 s) a retry would wait for.
        var timeline = await Poll.Until(() => Segment.Timeline(user), items => items.Any(IsMessage));
        var record = timeline.Single(IsMessage);
        Assert.Equal("failed", record.GetProperty("status").GetString());
        var reason = record.GetProperty("reason").GetString()!;
        Assert.Contains("550", reason, StringComparison.Ordinal);
        Assert.Contains("mailbox unavailable", reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Smtp.Received(), r => r.Message.Subject?.StartsWith(marker, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_redelivered_message_carries_the_same_message_id_and_date_so_the_receiver_can_drop_it()
    {
        var message = Message("default", $"{Segment.NewId("ada")}@example.test");

        Assert.Equal(DispatchStatus.Sent, (await Email.DispatchAsync(message, CancellationToken.None)).Status);
        Assert.Equal(DispatchStatus.Sent, (await Email.DispatchAsync(message, CancellationToken.None)).Status);

        var copies = Smtp.To(message.Address!);
        Assert.Equal(2, copies.Count);
        Assert.All(copies, c => Assert.Equal($"{message.MessageId}@waymark", c.MessageId));
        Assert.Equal(copies[0].Date, copies[1].Date);
        Assert.Equal(message.SentAt, copies[0].Date);
        Assert.Equal(copies[0].Headers[HeaderId.ListUnsubscribe], copies[1].Headers[HeaderId.ListUnsubscribe]);
    }

    [Fact]
    public async Task A_message_with_only_a_text_part_is_sent_as_plain_text()
    {
        var message = Message("default", $"{Segment.NewId("ada")}@example.test") with
        {
            Content = new RenderedContent(ImmutableDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("subject", "Plain"), new("text", "Only text, ünïcödé")]), null),
        };

        Assert.Equal(DispatchStatus.Sent, (await Email.DispatchAsync(message, CancellationToken.None)).Status);

        var mail = Assert.Single(Smtp.To(message.Address!));
        var part = Assert.IsType<TextPart>(mail.Body);
        Assert.Equal("text/plain", part.ContentType.MimeType);
        Assert.Equal("Only text, ünïcödé", part.Text.Trim());
        Assert.Null(mail.HtmlBody);
    }

    [Fact]
    public async Task A_temporary_refusal_asks_to_retry_and_a_permanent_one_fails()
    {
        var later = await Email.DispatchAsync(Message("default", $"later-{Segment.NewId("x")}@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Retry, later.Status);
        Assert.Contains("451", later.Reason, StringComparison.Ordinal);

        var rejected = await Email.DispatchAsync(Message("default", $"reject-{Segment.NewId("x")}@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Failed, rejected.Status);
        Assert.Contains("refused the recipient: 550", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_or_speaks_no_tls_asks_to_retry()
    {
        var nobody = await WorkspaceWithEmailAsync(new { host = "127.0.0.1", port = FreePort.Next(), tls = "none", from = "news@waymark.test" });
        var unreachable = await Email.DispatchAsync(Message(nobody, "ada@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Retry, unreachable.Status);

        var implicitTls = await WorkspaceWithEmailAsync(new { host = "127.0.0.1", port = Smtp.Port, tls = "ssl", from = "news@waymark.test" });
        var handshake = await Email.DispatchAsync(Message(implicitTls, "ada@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Retry, handshake.Status);

        var startTls = await WorkspaceWithEmailAsync(new { host = "127.0.0.1", port = Smtp.Port, tls = "starttls", from = "news@waymark.test" });
        var notOffered = await Email.DispatchAsync(Message(startTls, "ada@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Retry, notOffered.Status);
        Assert.Contains("STARTTLS", notOffered.Reason, StringComparison.Ordinal);
        Assert.Empty(Smtp.To("ada@example.test"));
    }

    [Fact]
    public async Task The_channel_authenticates_with_its_credentials_and_fails_messages_when_the_server_refuses_them()
    {
        await using var guarded = await SmtpSink.StartAsync("mailer", "s3cret-pass");
        var good = await WorkspaceWithEmailAsync(new { host = "127.0.0.1", port = guarded.Port, tls = "none", user = "mailer", password = "s3cret-pass", from = "news@waymark.test" });
        var wrong = await WorkspaceWithEmailAsync(new { host = "127.0.0.1", port = guarded.Port, tls = "none", user = "mailer", password = "not-the-pass", from = "news@waymark.test" });
        var none = await WorkspaceWithEmailAsync(new { host = "127.0.0.1", port = guarded.Port, tls = "none", from = "news@waymark.test" });

        Assert.Equal(DispatchStatus.Sent, (await Email.DispatchAsync(Message(good, "grace@example.test"), CancellationToken.None)).Status);
        var refused = await Email.DispatchAsync(Message(wrong, "linus@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Failed, refused.Status);
        Assert.Contains("535", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-pass", refused.Reason, StringComparison.Ordinal);
        var anonymous = await Email.DispatchAsync(Message(none, "linus@example.test"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Failed, anonymous.Status);
        Assert.Contains("requires authentication", anonymous.Reason, StringComparison.Ordinal);

        Assert.Single(guarded.To("grace@example.test"));
        Assert.Empty(guarded.To("linus@example.test"));
        Assert.DoesNotContain(Host.Logs.Lines, l => l.Contains("s3cret-pass", StringComparison.Ordinal) || l.Contains("not-the-pass", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_workspace_without_email_settings_and_a_message_without_an_address_fail()
    {
        var unconfigured = await Email.DispatchAsync(Message(await WorkspaceAsync(), "ada@example.test"), CancellationToken.None);
        Assert.Equal(DispatchResult.Failed("no email channel is configured"), unconfigured);

        var noAddress = await Email.DispatchAsync(Message("default", null), CancellationToken.None);
        Assert.Equal(DispatchResult.Failed("no address"), noAddress);

        var notAnAddress = await Email.DispatchAsync(Message("default", "not an address"), CancellationToken.None);
        Assert.Equal(DispatchStatus.Failed, notAnAddress.Status);
    }

    /// <summary>The click links in a text, in order.</summary>
    private static List<string> ClickLinks(string? text) =>
        [.. Regex.Matches(text ?? "", $"{Regex.Escape(PublicBaseUrl)}/c/[A-Za-z0-9_.-]+").Select(m => m.Value)];

    /// <summary>A link under the public base URL as the gateway's own path (a proxy in front would strip the base).</summary>
    private static string Local(string link) => link[PublicBaseUrl.Length..];

    private static bool IsMessage(JsonElement item) => item.GetProperty("kind").GetString() == "message";

    private static bool SaysNoAddress(JsonElement item) =>
        item.GetProperty("kind").GetString() is not ("event" or "profile")
        && (item.GetRawText().Contains("no address", StringComparison.Ordinal) || item.GetRawText().Contains("no_address", StringComparison.Ordinal));

    private static OutgoingMessage Message(string workspace, string? address) => new(
        workspace,
        "u:ada",
        "ada",
        Segment.NewId("msg"),
        "journey-1",
        "mail",
        Channel.Email,
        null,
        new RenderedContent(
            ImmutableDictionary.CreateRange(StringComparer.Ordinal, [
                new KeyValuePair<string, string>("subject", "Hello"),
                new("text", "Hello, https://example.com/x"),
                new("html", "<p>Hello, <a href=\"https://example.com/x\">x</a></p>"),
            ]),
            null),
        new DateTimeOffset(2026, 5, 4, 10, 30, 0, TimeSpan.Zero),
        address);

    /// <summary>A new workspace (<c>POST /api/workspaces</c>), whose id is returned with its admin's client.</summary>
    private async Task<(string Id, HttpClient Admin)> NewWorkspaceAsync()
    {
        var id = Segment.NewId("ws");
        var response = await node.Team.Admin.PostAsJsonAsync("/api/workspaces", new { id });
        var created = await DesignTeam.ExpectAsync(response, HttpStatusCode.Created);
        return (id, Host.ClientWithBearer(created.GetProperty("adminKey").GetString()!));
    }

    private async Task<string> WorkspaceAsync() => (await NewWorkspaceAsync()).Id;

    /// <summary>A new workspace whose email channel has <paramref name="settings"/> (<c>PUT /api/channels/email</c>).</summary>
    private async Task<string> WorkspaceWithEmailAsync(object settings)
    {
        var (id, admin) = await NewWorkspaceAsync();
        await ConfigureEmailAsync(admin, settings);
        return id;
    }

    private static async Task ConfigureEmailAsync(HttpClient admin, object settings)
    {
        var response = await admin.PutAsJsonAsync("/api/channels/email", settings);
        var body = await DesignTeam.ExpectAsync(response, HttpStatusCode.OK);
        Assert.False(body.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String);
    }
}
