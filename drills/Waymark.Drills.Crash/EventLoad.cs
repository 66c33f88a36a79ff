using System.Collections.Concurrent;
using System.Diagnostics;
using Waymark.Testing;

namespace Waymark.Drills.Crash;

/// <summary>One ingestion call as the client saw it: sent first at <see cref="SentAt"/>, answered 200 at <see cref="AcknowledgedAt"/>.</summary>
public sealed record Acknowledged(PlannedRequest Request, DateTimeOffset SentAt, DateTimeOffset AcknowledgedAt, int Attempts);

/// <summary>
/// Sends the plan's calls open loop, each at its time into the load whatever state the gateway is in, as customers'
/// SDKs do: a call that meets a dead or restarting gateway is retried with the same body (same message ids) until it
/// is answered 200 (<see cref="RetryingWriter"/>). At most <see cref="MaxInFlight"/> calls are out at once, as an SDK's
/// queue flushes a few requests at a time: while the gateway is down the rest wait their turn instead of all retrying
/// every second, which would starve the machine the restart runs on. Records exactly which calls were acknowledged and when.
/// </summary>
public sealed class EventLoad(LoadPlan plan, RetryingWriter writer) : IDisposable
{
    private const int MaxInFlight = 64;

    private readonly ConcurrentBag<Acknowledged> acknowledged = [];
    private readonly SemaphoreSlim slots = new(MaxInFlight);

    public IReadOnlyCollection<Acknowledged> Acknowledged => acknowledged;

    public void Dispose() => slots.Dispose();

    /// <summary>Runs the whole plan; completes when every call (and every second send) was acknowledged.</summary>
    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var calls = new List<Task>(plan.Requests.Count);
        foreach (var request in plan.Requests)
        {
            if (request.At > clock.Elapsed)
            {
                await Task.Delay(request.At - clock.Elapsed);
            }

            calls.Add(SendAsync(request));
        }

        await Task.WhenAll(calls);
    }

    private async Task SendAsync(PlannedRequest request)
    {
        var body = request.Body();
        await slots.WaitAsync();
        try
        {
            var sent = DateTimeOffset.UtcNow;
            var attempts = await writer.SendAsync(request.Path, body);
            acknowledged.Add(new Acknowledged(request, sent, DateTimeOffset.UtcNow, attempts));
            if (request.Twice)
            {
                await writer.SendAsync(request.Path, body);
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
