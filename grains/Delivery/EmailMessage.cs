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
/// the one-click unsubscribe of RFC 8058.
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
    /// <param name="unsubscribe">The message's unsubscribe link (<see cref="UnsubscribeLinks"/>).</param>
    public static (MimeMessage? Message, string? Problem) Build(OutgoingMessage message, string from, Uri unsubscribe)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(unsubscribe);
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
        mime.Body = Body(message.Content.Field(ChannelFields.Text), message.Content.Field(ChannelFields.Html));
        return (mime, null);
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
