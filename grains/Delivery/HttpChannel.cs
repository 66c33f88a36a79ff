using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The <c>webhook</c>, <c>sms</c> and <c>push</c> channels: one <c>POST</c> of the message (<see cref="HttpDeliveryBody"/>)
/// to the URL the workspace configured for the channel, signed with its secret (<see cref="DeliverySignature"/>), through
/// the named client <see cref="ClientName"/> and its resilience pipeline (<see cref="HttpDeliveryPipeline"/>). After
/// that pipeline: a 2xx is <c>Sent</c>; a 5xx, 408, 429, timeout or connection failure is <c>Retry</c>, with the last
/// response's <c>Retry-After</c>; anything else (a 4xx, a redirect, which is not followed) fails the message at once.
/// </summary>
public sealed partial class HttpChannel(
    Channel channel,
    IHttpClientFactory clients,
    ChannelSettingsCache settings,
    TimeProvider time,
    ILogger<HttpChannel> logger) : IMessageChannel
{
    public const string ClientName = "waymark-delivery";

    public async Task<DispatchResult> DispatchAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var name = ChannelFields.NameOf(channel);
        if (await settings.HttpAsync(message.Workspace, channel) is not { } target)
        {
            return DispatchResult.Failed($"no {name} channel is configured");
        }

        var (body, problem) = HttpDeliveryBody.Of(message);
        if (body is null)
        {
            return DispatchResult.Failed(problem!);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(DeliverySignature.MessageIdHeader, message.MessageId);
        request.Headers.Add(DeliverySignature.SignatureHeader, DeliverySignature.Of(target.Secret, time.GetUtcNow(), body));
        var result = await Send(request, cancellationToken);
        if (result.Status != DispatchStatus.Sent)
        {
            LogNotSent(message.Workspace, name, message.MessageId, result.Status, result.Reason);
        }

        return result;
    }

    private async Task<DispatchResult> Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            var reason = $"the receiver answered {status} {response.ReasonPhrase}".TrimEnd();
            return status switch
            {
                >= 200 and < 300 => DispatchResult.Sent,
                >= 500 or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests =>
                    DispatchResult.Retry(reason, HttpDeliveryPipeline.RetryAfter(response, time.GetUtcNow())),
                _ => DispatchResult.Failed(reason),
            };
        }
        catch (TimeoutRejectedException)
        {
            return DispatchResult.Retry("the receiver did not answer in time");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DispatchResult.Retry("the receiver did not answer in time"); // HttpClient's own timeout
        }
        catch (HttpRequestException e)
        {
            return DispatchResult.Retry("the receiver could not be reached: " + e.Message);
        }
    }

    [LoggerMessage(LogLevel.Debug, "A {Channel} message {MessageId} of workspace {Workspace} was not sent ({Status}): {Reason}")]
    private partial void LogNotSent(string workspace, string channel, string messageId, DispatchStatus status, string? reason);
}
