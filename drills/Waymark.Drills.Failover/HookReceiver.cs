using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Waymark.Testing;

namespace Waymark.Drills.Failover;

/// <summary>One webhook request: when it came, its <c>Waymark-Message-Id</c>, and the customer its payload names.</summary>
public sealed record Hook(DateTimeOffset At, string? MessageId, string? Customer);

/// <summary>
/// The drill's webhook receiver: a <see cref="LoopbackServer"/> answering 200 to everything and keeping every request,
/// so the drill can tell which customers' messages arrived, when, and whether any came twice.
/// </summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Hook> hooks = new();
    private LoopbackServer server = null!;

    public Uri Url => server.Url("/hook");

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<Hook> Hooks => [.. hooks];

    /// <summary>How many different customers' messages arrived so far.</summary>
    public int Customers => hooks.Select(h => h.Customer).Distinct(StringComparer.Ordinal).Count();

    public static async Task<HookReceiver> StartAsync()
    {
        var receiver = new HookReceiver();
        receiver.server = await LoopbackServer.StartAsync(receiver.TakeAsync);
        return receiver;
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task TakeAsync(HttpContext context)
    {
        var at = DateTimeOffset.UtcNow;
        string? customer = null;
        try
        {
            using var payload = await JsonDocument.ParseAsync(context.Request.Body);
            customer = payload.RootElement.TryGetProperty("customer", out var named) ? named.GetString() : null;
        }
        catch (JsonException)
        {
            // Kept without a customer: the checks count it as a message nobody was due.
        }

        hooks.Enqueue(new Hook(at, context.Request.Headers["Waymark-Message-Id"].FirstOrDefault(), customer));
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
