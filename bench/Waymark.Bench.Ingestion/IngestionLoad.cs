using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Waymark.Bench.Common;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// Drives <c>POST /v1/batch</c> with a fixed number of requests in flight, each a batch of track messages for
/// customers drawn at random, and counts the events the gateway acknowledged with 200 (which it sends only once
/// they are durable).
/// </summary>
internal sealed class IngestionLoad : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient client;
    private readonly BenchSettings settings;
    private long messages; // numbers every message id, so none is ever deduplicated away

    public IngestionLoad(Uri baseAddress, BenchSettings settings)
    {
        this.settings = settings;
        client = BenchGateway.WriteClient(baseAddress, settings.Concurrency, TimeSpan.FromMinutes(1));
    }

    /// <summary>Sends every customer one event, so that measured runs find their grains active and their rows present.</summary>
    public Task<LoadResult> TouchEveryCustomerAsync()
    {
        var next = -1;
        return RunAsync(TimeSpan.MaxValue, _ =>
        {
            var first = Interlocked.Increment(ref next) * settings.BatchSize;
            return first < settings.Customers
                ? Enumerable.Range(first, Math.Min(settings.BatchSize, settings.Customers - first))
                : null;
        });
    }

    /// <summary>Random customers for <paramref name="duration"/>: requests stop being sent then, and those in flight finish.</summary>
    public Task<LoadResult> RunAsync(TimeSpan duration) =>
        RunAsync(duration, random => Enumerable.Range(0, settings.BatchSize).Select(_ => random.Next(settings.Customers)));

    public void Dispose() => client.Dispose();

    private async Task<LoadResult> RunAsync(TimeSpan duration, Func<Random, IEnumerable<int>?> nextBatch)
    {
        var cpu = CpuMeter.Start();
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, settings.Concurrency)
            .Select(worker => Task.Run(() => Worker(new Random(worker), started, duration, nextBatch)))
            .ToList();
        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var latencies = results.SelectMany(r => r.Latencies).Order().ToList();
        return new LoadResult(
            results.Sum(r => r.Events), elapsed, cpu.Stop(elapsed),
            results.Sum(r => r.Errors), results.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
            Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private async Task<WorkerResult> Worker(Random random, long started, TimeSpan duration, Func<Random, IEnumerable<int>?> nextBatch)
    {
        var result = new WorkerResult();
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        while (Stopwatch.GetElapsedTime(started) < duration && nextBatch(random) is { } customers)
        {
            body.ResetWrittenCount();
            var count = WriteBatch(body, customers);
            using var content = new ReadOnlyMemoryContent(body.WrittenMemory);
            content.Headers.ContentType = Json;
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync(new Uri("/v1/batch", UriKind.Relative), content);
            result.Latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                result.Events += count;
            }
            else
            {
                result.Errors++;
                result.FirstError ??= $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
        }

        return result;
    }

    public static string CustomerId(int customer) => $"bench-c-{customer:D5}";

    /// <summary>One message as JSON text, as a batch carries it.</summary>
    public static string Message(int customer, long id, DateTimeOffset now)
    {
        var output = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(output))
        {
            WriteMessage(json, customer, id, now);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private int WriteBatch(IBufferWriter<byte> output, IEnumerable<int> customers)
    {
        using var json = new Utf8JsonWriter(output);
        var now = DateTimeOffset.UtcNow;
        var count = 0;
        json.WriteStartObject();
        json.WriteStartArray("batch");
        foreach (var customer in customers)
        {
            WriteMessage(json, customer, Interlocked.Increment(ref messages), now);
            count++;
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return count;
    }

    /// <summary>A track message shaped as Segment's Node SDK sends it.</summary>
    private static void WriteMessage(Utf8JsonWriter json, int customer, long id, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("type", "track");
        json.WriteString("userId", CustomerId(customer));
        json.WriteString("event", "Product Viewed");
        json.WriteString("messageId", $"bench-{id}");
        json.WriteString("timestamp", now);
        json.WriteStartObject("properties");
        json.WriteString("sku", $"sku-{id % 500}");
        json.WriteNumber("price", 19.99);
        json.WriteString("currency", "EUR");
        json.WriteEndObject();
        SegmentBatches.WriteLibraryContext(json);
        json.WriteEndObject();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];

    private sealed class WorkerResult
    {
        public List<double> Latencies { get; } = [];

        public long Events { get; set; }

        public int Errors { get; set; }

        public string? FirstError { get; set; }
    }
}
