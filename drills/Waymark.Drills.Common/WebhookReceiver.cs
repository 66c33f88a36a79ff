using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Waymark.Testing;

namespace Waymark.Drills.Common;

/// <summary>One webhook request as the receiver took it: when it answered, with what, and what the request said.</summary>
/// <param name="MessageId">The <c>Waymark-Message-Id</c> header.</param>
/// <param name="SignatureValid">Whether <c>Waymark-Signature</c> is the HMAC of its time and the body under the channel's secret; null when the receiver was given no secret to check it with.</param>
/// <param name="Customer">The payload's customer, <paramref name="Node"/> its send node and <paramref name="PayloadMessageId"/> the id the template rendered.</param>
public sealed record WebhookDelivery(DateTimeOffset At, int Status, string? MessageId, bool? SignatureValid, string? Customer, string? Node, string? PayloadMessageId)
{
    /// <summary>Answered 2xx: the receiver took the message, whether or not the gateway lived to record it.</summary>
    public bool Accepted => Status is >= 200 and < 300;
}

/// <summary>
/// A real webhook receiver on loopback (Kestrel on a free port) that keeps every request with its message id and its
/// payload's customer, so a drill can tell whose messages arrived, when, and whether any came twice. It answers 200,
/// unless told otherwise: given the channel's secret, it checks each request's signature as a receiver must (its own
/// HMAC over <c>"t.body"</c>, not Waymark's code) and answers 401 to a wrong one; given a share of message ids to
/// refuse, it answers the first request of each 503, so the channel's retries run too; given an answer delay, it
/// answers after a random while up to it, as a real endpoint takes a moment, so some kills fall between its answer and
/// Waymark's record of it.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly string? secret;
    private readonly Func<string, bool>? refuseFirst;
    private readonly TimeSpan maxAnswerDelay;
    private readonly Lock gate = new();
    private readonly List<WebhookDelivery> deliveries = [];
    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private LoopbackServer server = null!;

    private WebhookReceiver(string? secret, Func<string, bool>? refuseFirst, TimeSpan maxAnswerDelay) =>
        (this.secret, this.refuseFirst, this.maxAnswerDelay) = (secret, refuseFirst, maxAnswerDelay);

    public Uri Url => server.Url("/hook");

    /// <summary>Every request so far, in the order answered.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries
    {
        get
        {
            lock (gate)
            {
                return [.. deliveries];
            }
        }
    }

    /// <summary>How many different customers' messages arrived so far.</summary>
    public int Customers => Deliveries.Select(d => d.Customer).Distinct(StringComparer.Ordinal).Count();

    /// <param name="secret">The channel's secret, to check signatures with; none checked without it.</param>
    /// <param name="refuseFirst">Whether the first request of a message id is answered 503; none is without it.</param>
    /// <param name="maxAnswerDelay">The longest a request waits for its answer; none waits by default.</param>
    public static async Task<WebhookReceiver> StartAsync(string? secret = null, Func<string, bool>? refuseFirst = null, TimeSpan maxAnswerDelay = default)
    {
        var receiver = new WebhookReceiver(secret, refuseFirst, maxAnswerDelay);
        receiver.server = await LoopbackServer.StartAsync(receiver.Handle);
        return receiver;
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private async Task Handle(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var messageId = context.Request.Headers["Waymark-Message-Id"].FirstOrDefault();
        bool? valid = secret is null ? null : Verify(secret, context.Request.Headers["Waymark-Signature"].FirstOrDefault(), body);
        var (customer, node, payloadId) = Read(body);
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * maxAnswerDelay.TotalMilliseconds));

        int status;
        lock (gate)
        {
            var first = messageId is not null && seen.Add(messageId);
            status = valid is false ? StatusCodes.Status401Unauthorized
                : first && refuseFirst?.Invoke(messageId!) == true ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status200OK;
            deliveries.Add(new WebhookDelivery(DateTimeOffset.UtcNow, status, messageId, valid, customer, node, payloadId));
        }

        context.Response.StatusCode = status;
    }

    private static bool Verify(string secret, string? header, byte[] body)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1));
    }

    private static (string? Customer, string? Node, string? MessageId) Read(byte[] body)
    {
        try
        {
            var payload = JsonDocument.Parse(body).RootElement;
            return (Text(payload, "customer"), Text(payload, "node"), Text(payload, "messageId"));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }

        static string? Text(JsonElement payload, string field) =>
            payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
