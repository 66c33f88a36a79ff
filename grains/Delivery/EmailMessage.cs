using System.Text.Encodings.Web;
using MimeKit;
using MimeKit.Text;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The MIME message an email send becomes (docs/architecture.md "Delivery"): <c>From</c> the channel's sender, <c>To</c>
/// the customer's address, the rendered <c>subject</c>, and the rendered <c>text</c> and <c>html</c> as a
/// <c>text/plain</c> and a <c>text/html</c> part — both in a <c>multipart/alternative</c>, or the one the template has
/// (an empty <c>text/plain</c> when both rendered empty). <c>Message-ID</c> is <c>&lt;{messageId}@waymark&gt;</c> and
/// <c>Date</c> the sent time, both the same on every redelivery, so receivers can drop repeats; <c>Waymark-Message-Id</c>
/// carries the id as it is; <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c> give
/// the one-click unsubscribe of RFC 8058. The HTML part ends with the open pixel, a 1×1 image at <c>/o/{token}</c>
/// (just before <c>&lt;/body&gt;</c> when it has one); a text-only email cannot report opens.
/// </summary>
public static class EmailMessage
{
    /// <summary>The domain of every <c>Message-ID</c> (RFC 5322 <c>id-right</c>); message ids are base32, a valid <c>id-left</c>.</summary>
    public const string MessageIdDomain = "waymark";

    public const string MessageIdHeader = "Waymark-Message-Id";

    /// <summary>The <c>Message-ID</c> of a message, without its angle brackets: <c>{messageId}@waymark</c>.</summary>
    public static string MessageIdOf(string messageId) => $"{messageId}@{MessageIdDomain}";

    /// <summary>The message to send, or why <paramref name="message"/> cannot be sent (an address or sender that is no mailbox).</summary>
    /// <param name="from">The channel's sender, as configured (<c>news@acme.io</c> or <c>Acme &lt;news@acme.io&gt;</c>).</param>
    /// <param name="unsubscribe">The message's unsubscribe link (<see cref="TrackingLinks.UnsubscribeAsync"/>).</param>
    /// <param name="openPixel">The message's open pixel (<see cref="TrackingLinks.OpenPixelAsync"/>).</param>
    public static (MimeMessage? Message, string? Problem) Build(OutgoingMessage message, string from, Uri unsubscribe, Uri openPixel)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(unsubscribe);
        ArgumentNullException.ThrowIfNull(openPixel);
        if (Mailbox(message.Address) is not { } to)
        {
            return (null, string.IsNullOrWhiteSpace(message.Address) ? "no address" : "the customer's email address is not a valid address");
        }

        if (Mailbox(from) is not { } sender)
        {
            return (null, "the email channel's from address is not a valid address");
        }

        var mime = new MimeMessage { Subject = message.Content.Field(ChannelFields.Subject) ?? "", Date = message.SentAt };
        mime.From.Add(sender);
        mime.To.Add(to);
        mime.MessageId = MessageIdOf(message.MessageId);
        mime.Headers.Add(MessageIdHeader, message.MessageId);
        mime.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribe.AbsoluteUri}>");
        mime.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        var html = message.Content.Field(ChannelFields.Html) is { } body ? WithPixel(body, openPixel) : null;
        mime.Body = Body(message.Content.Field(ChannelFields.Text), html);
        return (mime, null);
    }

    private static string WithPixel(string html, Uri pixel)
    {
        var image = $"<img src=\"{HtmlEncoder.Default.Encode(pixel.AbsoluteUri)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end < 0 ? html + image : html.Insert(end, image);
    }

    private static MimeEntity Body(string? text, string? html) => (text, html) switch
    {
        (not null, not null) => new MultipartAlternative(new TextPart(TextFormat.Plain) { Text = text }, new TextPart(TextFormat.Html) { Text = html }),
        (null, not null) => new TextPart(TextFormat.Html) { Text = html },
        _ => new TextPart(TextFormat.Plain) { Text = text ?? "" },
    };

    /// <summary>One mailbox with a domain (<c>a@b</c>, optionally with a display name); null for anything else.</summary>
    private static MailboxAddress? Mailbox(string? text) =>
        !string.IsNullOrWhiteSpace(text) && MailboxAddress.TryParse(text.Trim(), out var mailbox) && mailbox.Route.Count == 0
            && mailbox.Address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < mailbox.Address.Length - 1
            ? mailbox
            : null;
}
