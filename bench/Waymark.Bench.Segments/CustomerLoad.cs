using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Waymark.Bench.Common;

namespace Waymark.Bench.Segments;

/// <summary>
/// Ingests the customers the way an application does: one Segment <c>identify</c> message with traits per customer, in
/// <c>POST /v1/batch</c> requests with a fixed number in flight, every customer once, in order. The gateway answers 200
/// only when every message is in its customer's log, so when the last request is answered every customer exists.
/// </summary>
internal sealed class CustomerLoad : IDisposable
{
    /// <summary>The trait the benchmark's segments select on, and the value they select: every third customer has it.</summary>
    public const string Trait = "tier";
    public const string SelectedTier = "gold";

    private static readonly string[] Tiers = [SelectedTier, "silver", "bronze"];
    private static readonly string[] Cities = ["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Berlin", "Lyon", "Austin"];
    private readonly HttpClient client;
    private readonly BenchSettings settings;

    public CustomerLoad(Uri baseAddress, BenchSettings settings)
    {
        this.settings = settings;
        client = BenchGateway.WriteClient(baseAddress, settings.Concurrency, TimeSpan.FromMinutes(2));
    }

    public static string CustomerId(int customer) => $"bench-s-{customer:D7}";

    /// <summary>The customer's key in the log: a known user.</summary>
    public static string Key(int customer) => $"u:{CustomerId(customer)}";

    /// <summary>Customers 0, 3, 6, … are <see cref="SelectedTier"/>.</summary>
    public static bool IsSelected(int customer) => customer % 3 == 0;

    /// <summary>How many of <paramref name="customers"/> the segments select.</summary>
    public static long Selected(int customers) => (customers + 2L) / 3;

    /// <summary>Sends customers 0 to <paramref name="count"/> - 1 their identify; returns how long it took until the last answer.</summary>
    public Task<TimeSpan> IngestAsync(int count) =>
        SegmentBatches.PostAllAsync(client, count, settings.BatchSize, settings.Concurrency, WriteBatch);

    public void Dispose() => client.Dispose();

    /// <summary>Identify messages shaped as Segment's Node SDK sends them. No identity trait (email, phone): those
    /// register with an identity grain of their own, which is ingestion's cost, not the segments'.</summary>
    private static void WriteBatch(IBufferWriter<byte> output, int first, int count)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartArray("batch");
        for (var customer = first; customer < first + count; customer++)
        {
            json.WriteStartObject();
            json.WriteString("type", "identify");
            json.WriteString("userId", CustomerId(customer));
            json.WriteString("messageId", $"identify-{customer}");
            json.WriteStartObject("traits");
            json.WriteString(Trait, Tiers[customer % Tiers.Length]);
            json.WriteString("city", Cities[customer / Tiers.Length % Cities.Length]);
            json.WriteNumber("age", 18 + (customer % 60));
            json.WriteString("plan", customer % 5 == 0 ? "pro" : "free");
            json.WriteString("signedUpAt", DateTimeOffset.UnixEpoch.AddDays(19_000 + (customer % 1_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            SegmentBatches.WriteLibraryContext(json);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
