using System.Text.Json;
using Waymark.Bench.Common;
using Waymark.Storage;
using Waymark.Storage.Counts;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Timers;

namespace Waymark.Bench.Runtime;

/// <summary>What the customer log alone gives in one baseline run: customers per second, each two appends shaped as
/// the two rounds the runtime commits for a woken customer, and how many appends shared a transaction.</summary>
internal sealed record BaselineResult(long Customers, TimeSpan Elapsed, long Transactions, CpuUse Cpu)
{
    public double CustomersPerSecond => Customers / Elapsed.TotalSeconds;

    /// <summary>Node steps per second the runtime would take if the log's appends were all it cost.</summary>
    public double StepsPerSecond => CustomersPerSecond * BenchJourneys.StepsAfterWait;

    public double AppendsPerCommit => 2.0 * Customers / Math.Max(1, Transactions);
}

/// <summary>
/// The baseline: the group-committed append of <see cref="SqlCustomerLog"/> on the same database, with the rows the
/// runtime writes for one woken customer and as many appends in flight as the timer wheel wakes customers at once,
/// and nothing else: no timer wheel, no grain, no engine, no channel. Per customer it appends the wake-up's round
/// (its log entries as a real customer's log holds them, the outbox's wake-up and the count changes of the two
/// steps) and then, once that is durable, the round recording the message — the two appends the runtime cannot
/// avoid after a wait. Its own <see cref="SqlCustomerLog"/> instance (a writer loop of its own, as the silo has one)
/// over the silo's database; the customers are new keys, named after <c>name</c> so that the runs sharing the database
/// never meet, and its wake-ups are in shards no silo polls.
/// </summary>
internal sealed class LogBaseline(WaymarkDatabase database, IReadOnlyList<LogEntry> wakeRound, IReadOnlyList<LogEntry> messageRound, int inFlight, string name)
{
    private const int FirstUnpolledShard = 1_000;
    private const string Journey = "bench-baseline";
    private long customers;

    /// <summary>The count changes of the wake-up's round: the run leaves the wait, enters and leaves the send, enters
    /// the exit and ends there.</summary>
    private static readonly (string Counter, long Delta)[] Counts =
    [
        ("node/wait/movedOn", 1), ("node/tell/entered", 1), ("node/tell/movedOn", 1), ("node/done/entered", 1), ("node/done/exited/exit_node", 1),
    ];

    /// <summary>The rounds of one woken customer of the runtime's drain, read back from its log.</summary>
    public static async Task<LogBaseline> FromLogAsync(WaymarkDatabase database, ICustomerLog log, string journey, int customer, int inFlight, string name)
    {
        var entries = await log.ReadAfterAsync("default", $"u:{EventLoad.CustomerId(customer)}", 0);
        var woken = entries.First(e => e.Kind == "moved" && Is(e, journey, "from", BenchJourneys.WaitNode));
        var message = entries.First(e => e.Kind == "message" && Is(e, journey, null, null));
        return new LogBaseline(database, [.. entries.Where(e => e.At == woken.At)], [message], inFlight, name);
    }

    public IReadOnlyList<LogEntry> WakeRound => wakeRound;

    public async Task<BaselineResult> RunAsync(TimeSpan duration)
    {
        var run = await LogAppendBaseline.RunAsync(database, inFlight, duration, log => AppendCustomerAsync(log, Interlocked.Increment(ref customers)));
        return new BaselineResult(run.Customers, run.Elapsed, run.Transactions, run.Cpu);
    }

    private async Task AppendCustomerAsync(SqlCustomerLog log, long customer)
    {
        var key = $"u:bench-baseline-{name}-{customer}";
        var now = DateTimeOffset.UtcNow;
        var seq = 0;
        var round = wakeRound.Select(e => e with { CustomerKey = key, Seq = ++seq, At = now, RecordedAt = now }).ToList();
        var timer = new TimerEntry(FirstUnpolledShard + (int)(customer % 8), now.AddDays(1), $"customer/default/{key}", "outbox");
        var counts = Counts.Select(c => new CountDelta("default", Journey, 1, c.Counter, c.Delta, now)).ToList();
        await log.AppendAsync(round, [timer], counts);
        await log.AppendAsync([.. messageRound.Select(e => e with { CustomerKey = key, Seq = ++seq, At = now, RecordedAt = now })]);
    }

    private static bool Is(LogEntry entry, string journey, string? property, string? value)
    {
        using var payload = JsonDocument.Parse(entry.Payload);
        return payload.RootElement.TryGetProperty("journey", out var of) && of.GetString() == journey
            && (property is null || (payload.RootElement.TryGetProperty(property, out var read) && read.GetString() == value));
    }
}
