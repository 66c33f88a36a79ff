using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Waymark.Bench.Common;

/// <summary>How the load drivers speak Segment's batch API: messages shaped as Segment's Node SDK sends them, posted to
/// <c>POST /v1/batch</c> with a fixed number of requests in flight.</summary>
public static class SegmentBatches
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>Writes the <c>context</c> member Segment's Node SDK puts on every message, the last of the message.</summary>
    public static void WriteLibraryContext(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject("context");
        json.WriteStartObject("library");
        json.WriteString("name", "@segment/analytics-node");
        json.WriteString("version", "3.1.0");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// Posts messages 0 to <paramref name="count"/> - 1 in batches of <paramref name="batchSize"/>, in order, with
    /// <paramref name="inFlight"/> requests at once, each batch's body written by <paramref name="writeBatch"/> (its first
    /// message and how many); returns how long it took until the last answer. A batch refused is an error.
    /// </summary>
    public static async Task<TimeSpan> PostAllAsync(HttpClient client, int count, int batchSize, int inFlight, Action<IBufferWriter<byte>, int, int> writeBatch)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(writeBatch);
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            var body = new ArrayBufferWriter<byte>(64 * 1024);
            int start;
            while ((start = Interlocked.Increment(ref next) * batchSize) < count)
            {
                body.ResetWrittenCount();
                writeBatch(body, start, Math.Min(batchSize, count - start));
                using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
                content.Headers.ContentType = Json;
                using var response = await client.PostAsync(new Uri("/v1/batch", UriKind.Relative), content);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"The gateway refused a batch: {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        return Stopwatch.GetElapsedTime(started);
    }
}
