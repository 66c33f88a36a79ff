using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>One request as a <see cref="Receiver"/> got it.</summary>
internal sealed record ReceivedRequest(DateTimeOffset At, string Path, string? MessageId, string? Signature, string? ContentType, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>How a <see cref="Receiver"/> answers one request.</summary>
internal sealed record Answer(int Status, string? RetryAfter = null)
{
    public static Answer Ok { get; } = new(200);
}

/// <summary>
/// A real HTTP server on loopback (Kestrel on a free port) standing in for a webhook receiver or an sms or push
/// provider: it keeps every request and answers as <see cref="Answers"/> says for the request's number (0 = the first).
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly Lock gate = new();
    private ImmutableList<ReceivedRequest> requests = [];
    private LoopbackServer server = null!;

    private Receiver()
    {
    }

    public int Port => server.Port;

    /// <summary>The answer to the n-th request (0-based); 200 unless a test says otherwise.</summary>
    public Func<int, Answer> Answers { get; set; } = _ => Answer.Ok;

    /// <summary>What the n-th request (0-based) waits for before it is answered: nothing unless a test holds it.</summary>
    public Func<int, Task> Holding { get; set; } = _ => Task.CompletedTask;

    public Uri Url(string path = "/hook") => server.Url(path);

    public ImmutableList<ReceivedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests;
            }
        }
    }

    public static async Task<Receiver> StartAsync(Func<int, Answer>? answers = null)
    {
        var receiver = new Receiver();
        if (answers is not null)
        {
            receiver.Answers = answers;
        }

        receiver.server = await LoopbackServer.StartAsync(receiver.Handle);
        return receiver;
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private async Task Handle(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new ReceivedRequest(
            DateTimeOffset.UtcNow,
            context.Request.Path,
            context.Request.Headers["Waymark-Message-Id"].FirstOrDefault(),
            context.Request.Headers["Waymark-Signature"].FirstOrDefault(),
            context.Request.ContentType,
            body.ToArray());
        int number;
        lock (gate)
        {
            number = requests.Count;
            requests = requests.Add(request);
        }

        await Holding(number);
        var answer = Answers(number);
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
    }
}
