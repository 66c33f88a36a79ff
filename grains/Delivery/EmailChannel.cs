using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The <c>email</c> channel: the message (<see cref="EmailMessage"/>) goes to the SMTP server of the workspace's
/// <see cref="EmailChannelSettings"/> (read through <see cref="ChannelSettingsCache"/>) over a connection of its own —
/// connect (TLS none, STARTTLS or implicit), authenticate when a user is configured, send, quit.
/// <list type="bullet">
/// <item>The server accepted the message (250 after <c>DATA</c>): <c>Sent</c>. A failing <c>QUIT</c> after that changes nothing.</item>
/// <item>Transient, <c>Retry</c>: the server could not be reached, the connection broke or timed out, TLS failed (a
/// handshake or certificate failure, a server not offering STARTTLS), or the server answered 4xx (its own "try again
/// later", including a temporary authentication failure).</item>
/// <item>Permanent, <c>Failed</c> with the server's reason: a 5xx to the sender, the recipient or the message (550
/// mailbox unavailable…), and a channel that cannot work as configured — the server refused the credentials (535) or
/// requires authentication none was configured for, or offers none — since retrying cannot mend settings. No email
/// settings, no address, or an address or sender that is no mailbox fail too.</item>
/// </list>
/// The password goes to the server only; it is never logged nor part of a reason.
/// </summary>
public sealed partial class EmailChannel(ChannelSettingsCache settings, TrackingLinks links, ILogger<EmailChannel> logger) : IMessageChannel
{
    /// <summary>How long connecting, or one read or write on the connection, may take.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a whole dispatch (connect to quit) may take: well inside the minute after which the runtime dispatches
    /// an unanswered message again, as the HTTP channels' is. A message the server accepts after that is sent again
    /// later with the same <c>Message-ID</c>.
    /// </summary>
    public static readonly TimeSpan DispatchTimeout = TimeSpan.FromSeconds(25);

    public async Task<DispatchResult> DispatchAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        EmailChannelSettings? smtp;
        Uri unsubscribe, openPixel;
        try
        {
            smtp = await settings.EmailAsync(message.Workspace);
            unsubscribe = await links.UnsubscribeAsync(message);
            openPixel = await links.OpenPixelAsync(message);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return NotSent(message, DispatchResult.Retry("the workspace's email settings or tracking key could not be read: " + e.Message));
        }

        if (smtp is null)
        {
            return NotSent(message, DispatchResult.Failed("no email channel is configured"));
        }

        var (mime, problem) = EmailMessage.Build(message, smtp.From, unsubscribe, openPixel);
        if (mime is null)
        {
            return NotSent(message, DispatchResult.Failed(problem!));
        }

        using (mime)
        {
            var result = await SendAsync(smtp, mime, cancellationToken);
            return result.Status == DispatchStatus.Sent ? result : NotSent(message, result);
        }
    }

    private static async Task<DispatchResult> SendAsync(EmailChannelSettings smtp, MimeMessage mime, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DispatchTimeout);
        using var client = new SmtpClient { Timeout = (int)NetworkTimeout.TotalMilliseconds };
        var step = Step.Connect;
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Security(smtp.Tls), deadline.Token);
            if (smtp.User is { } user)
            {
                step = Step.Authenticate;
                await client.AuthenticateAsync(user, smtp.Password ?? "", deadline.Token);
            }

            step = Step.Send;
            await client.SendAsync(mime, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DispatchResult.Retry($"the SMTP server did not answer within {DispatchTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (Outcome(e, step) is { } failure)
        {
            return failure;
        }

        try
        {
            await client.DisconnectAsync(quit: true, deadline.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ProtocolException or OperationCanceledException)
        {
            // The message was accepted: a QUIT that fails or is cancelled changes nothing.
        }

        return DispatchResult.Sent;
    }

    /// <summary>What an SMTP failure at <paramref name="step"/> means for the message (see the class); null for what is not one (a bug), which is thrown.</summary>
    internal static DispatchResult? Outcome(Exception e, Step step) => e switch
    {
        SmtpCommandException command => Answered(command.StatusCode, command.Message, command.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => "the SMTP server refused the recipient",
            SmtpErrorCode.SenderNotAccepted => "the SMTP server refused the sender",
            SmtpErrorCode.MessageNotAccepted => "the SMTP server refused the message",
            _ => "the SMTP server answered",
        }),
        AuthenticationException { InnerException: SmtpCommandException { StatusCode: var code } } when (int)code is >= 400 and < 500 =>
            DispatchResult.Retry("the SMTP server could not authenticate now: " + e.Message),
        AuthenticationException => DispatchResult.Failed("the SMTP server refused the email channel's credentials: " + e.Message),
        ServiceNotAuthenticatedException => DispatchResult.Failed("the SMTP server requires authentication: " + e.Message),
        NotSupportedException when step == Step.Connect => DispatchResult.Retry("the SMTP server does not offer STARTTLS: " + e.Message),
        NotSupportedException when step == Step.Authenticate => DispatchResult.Failed("the SMTP server supports no authentication the channel can use: " + e.Message),
        NotSupportedException => DispatchResult.Failed("the SMTP server cannot take the message: " + e.Message),
        // MailKit's own message is a long list of possible causes; the inner exception says which.
        SslHandshakeException => DispatchResult.Retry("TLS with the SMTP server failed: " + (e.InnerException?.Message ?? "the handshake did not complete")),
        SocketException or IOException or TimeoutException or ProtocolException or ServiceNotConnectedException =>
            DispatchResult.Retry("the connection to the SMTP server failed: " + e.Message),
        _ => null,
    };

    private static DispatchResult Answered(SmtpStatusCode code, string text, string what)
    {
        var reason = $"{what}: {(int)code} {text}".TrimEnd();
        return (int)code >= 500 ? DispatchResult.Failed(reason) : DispatchResult.Retry(reason);
    }

    private static SecureSocketOptions Security(EmailTls tls) => tls switch
    {
        EmailTls.StartTls => SecureSocketOptions.StartTls,
        EmailTls.Ssl => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private DispatchResult NotSent(OutgoingMessage message, DispatchResult result)
    {
        LogNotSent(message.Workspace, message.MessageId, result.Status, result.Reason);
        return result;
    }

    [LoggerMessage(LogLevel.Debug, "An email message {MessageId} of workspace {Workspace} was not sent ({Status}): {Reason}")]
    private partial void LogNotSent(string workspace, string messageId, DispatchStatus status, string? reason);

    /// <summary>Where a dispatch was when it failed.</summary>
    internal enum Step
    {
        Connect,
        Authenticate,
        Send,
    }
}
