using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Waymark.Grains.Delivery;

/// <summary>
/// The resilience pipeline of the HTTP channels' client (Microsoft.Extensions.Http.Resilience): a few quick retries
/// within the dispatch, for a receiver that blinks. The long haul — up to 24 h — is the runtime's durable redelivery
/// (<see cref="RedeliverySchedule"/>), which survives restarts and holds no grain while it waits. Outermost first:
/// <list type="number">
/// <item>a total timeout of <see cref="TotalTimeout"/>, well inside the minute after which the runtime dispatches an unanswered message again;</item>
/// <item>up to <see cref="Retries"/> retries of a transient outcome (5xx, 408, 429, a timeout, a connection failure),
/// with exponential backoff and jitter from <see cref="FirstDelay"/>, or after the response's <c>Retry-After</c> when it
/// has one — unless that asks for more than <see cref="MaxInCallDelay"/>: such a response ends the call and the runtime
/// waits durably instead;</item>
/// <item>a timeout of <see cref="AttemptTimeout"/> per attempt.</item>
/// </list>
/// No circuit breaker: one client serves every workspace's receivers, and the durable redelivery already spaces out
/// the attempts on a receiver that stays down.
/// </summary>
public static class HttpDeliveryPipeline
{
    public const string Name = "waymark-delivery";

    public const int Retries = 3;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxInCallDelay = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(25);

    /// <param name="time">The clock a <c>Retry-After</c> date is read against (real time).</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(time);
        pipeline
            .AddTimeout(TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Retries,
                Delay = FirstDelay,
                MaxDelay = MaxInCallDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome) && !AsksToWaitLong(args.Outcome.Result, time.GetUtcNow())),
            })
            .AddTimeout(AttemptTimeout);
    }

    /// <summary>How long the response's <c>Retry-After</c> asks to wait from <paramref name="now"/>; null when it has none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };
    }

    /// <summary>Whether a 429 or 503 asks to wait longer than a dispatch should hold on to it.</summary>
    private static bool AsksToWaitLong(HttpResponseMessage? response, DateTimeOffset now) =>
        response is not null && RetryAfter(response, now) > MaxInCallDelay;
}
