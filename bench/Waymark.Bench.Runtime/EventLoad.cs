using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Waymark.Bench.Common;

namespace Waymark.Bench.Runtime;

/// <summary>
/// Enters customers into a journey the way an application does: one Segment <c>track</c> message per customer, in
/// <c>POST /v1/batch</c> requests with a fixed number in flight, every customer once, in order. The gateway answers
/// 200 only when every event is in its customer's log and the round it triggered is committed, so when the last
/// request is answered every customer is waiting.
/// </summary>
internal sealed class EventLoad : IDisposable
{
    private readonly HttpClient client;
    private readonly BenchSettings settings;

    public EventLoad(Uri baseAddress, BenchSettings settings)
    {
        this.settings = settings;
        client = BenchGateway.WriteClient(baseAddress, settings.Concurrency, TimeSpan.FromMinutes(2));
    }

    public static string CustomerId(int customer) => $"bench-c-{customer:D7}";

    /// <summary>The customer number of a customer key (<c>u:bench-c-0000042</c>); -1 for another key.</summary>
    public static int CustomerOf(string customerKey) =>
        customerKey.StartsWith("u:bench-c-", StringComparison.Ordinal)
            && int.TryParse(customerKey.AsSpan("u:bench-c-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var customer)
            ? customer
            : -1;

    /// <summary>Sends <paramref name="trigger"/> to customers <paramref name="first"/> to <paramref name="first"/> +
    /// <paramref name="count"/> - 1, each with its due time; returns how long it took until the last answer.</summary>
    public Task<TimeSpan> EnterAsync(string trigger, int first, int count, Func<int, DateTimeOffset> dueAt) =>
        SegmentBatches.PostAllAsync(client, count, settings.BatchSize, settings.Concurrency, (body, start, size) => WriteBatch(body, trigger, first + start, size, dueAt));

    public void Dispose() => client.Dispose();

    /// <summary>Track messages shaped as Segment's Node SDK sends them, without a timestamp: the gateway's receipt
    /// time is the event's time, so moving the business clock never makes an event look like a backfill.</summary>
    private static void WriteBatch(IBufferWriter<byte> output, string trigger, int first, int count, Func<int, DateTimeOffset> dueAt)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartArray("batch");
        for (var customer = first; customer < first + count; customer++)
        {
            json.WriteStartObject();
            json.WriteString("type", "track");
            json.WriteString("userId", CustomerId(customer));
            json.WriteString("event", trigger);
            json.WriteString("messageId", $"{trigger}-{customer}");
            json.WriteStartObject("properties");
            json.WriteString("dueAt", Timestamp(dueAt(customer)));
            json.WriteString("plan", "pro");
            json.WriteNumber("seats", 3);
            json.WriteEndObject();
            SegmentBatches.WriteLibraryContext(json);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>ISO 8601 in UTC to the millisecond, as an application writes it; due times are whole milliseconds.</summary>
    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
