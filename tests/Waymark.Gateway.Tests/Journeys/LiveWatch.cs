using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;

namespace Waymark.Gateway.Tests.Journeys;

/// <summary>An open <c>/live</c> response, read in the background as a browser's EventSource would.</summary>
internal sealed class LiveWatch : IAsyncDisposable
{
    /// <summary>How long a test waits for the stream to open or for an awaited transition.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource closing = new();
    private readonly Channel<SseItem<string>> received = Channel.CreateUnbounded<SseItem<string>>();
    private readonly HttpResponseMessage response;
    private readonly Task reading;

    private LiveWatch(HttpResponseMessage response, Stream body)
    {
        this.response = response;
        reading = ReadAsync(body);
    }

    public List<string> EventTypes { get; } = [];

    /// <summary>Opens the stream; once the headers are in, the watcher is subscribed.</summary>
    public static async Task<LiveWatch> OpenAsync(HttpClient client, string journey)
    {
        var response = await client.GetAsync($"/api/journeys/{journey}/live", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new LiveWatch(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The items received until (and with) the first that satisfies <paramref name="last"/>.</summary>
    public async Task<List<JsonElement>> UntilAsync(Func<JsonElement, bool> last)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var items = new List<JsonElement>();
        while (true)
        {
            SseItem<string> sse;
            try
            {
                sse = await received.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No awaited transition within {Patience}; received: {string.Join(", ", items)}");
                throw;
            }

            EventTypes.Add(sse.EventType);
            var item = JsonDocument.Parse(sse.Data).RootElement.Clone();
            items.Add(item);
            if (last(item))
            {
                return items;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync();
        response.Dispose();
        await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        closing.Dispose();
    }

    private async Task ReadAsync(Stream body)
    {
        try
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(closing.Token))
            {
                await received.Writer.WriteAsync(item);
            }
        }
        finally
        {
            received.Writer.TryComplete();
        }
    }
}
