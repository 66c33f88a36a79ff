using System.Text.Json;
using Waymark.Bench.Common;
using Waymark.Storage;
using Waymark.Storage.CustomerLog;
using Waymark.Storage.Segments;

namespace Waymark.Bench.Segments;

/// <summary>
/// The baseline: <see cref="SqlCustomerLog"/>'s group-committed append alone, on the same database, one small append
/// per customer shaped as a backfill writes it — for a member the <c>segment</c> entry with its member row in the same
/// transaction, for anyone else the <c>segments_evaluated</c> entry — and nothing else: no HTTP, no grain, no
/// activation, no snapshot, no engine. The entries are copied from real customers' logs after the backfills; the keys
/// are new ones of a workspace of their own (at seq 2, as a backfill never writes a customer's first entry), so the
/// rows land in the same tables and indexes as the backfill's.
/// </summary>
internal sealed class SegmentBaseline(WaymarkDatabase database, LogEntry memberEntry, LogEntry otherEntry, string segment)
{
    private const string Workspace = "bench-baseline";
    private long customers;

    public static async Task<SegmentBaseline> FromLogAsync(WaymarkDatabase database)
    {
        await using var log = new SqlCustomerLog(database);
        var member = (await log.ReadAfterAsync("default", CustomerLoad.Key(0), 0)).Last(e => e.Kind == "segment");
        var other = (await log.ReadAfterAsync("default", CustomerLoad.Key(1), 0)).Last(e => e.Kind == "segments_evaluated");
        using var payload = JsonDocument.Parse(member.Payload);
        var segment = payload.RootElement.EnumerateObject().First(p => p.Name.Equals("segment", StringComparison.OrdinalIgnoreCase)).Value.GetString()!;
        return new SegmentBaseline(database, member, other, segment);
    }

    /// <summary>One run: <paramref name="inFlight"/> appends at once for <paramref name="duration"/>.</summary>
    public Task<LogAppendRun> RunAsync(int inFlight, TimeSpan duration) =>
        LogAppendBaseline.RunAsync(database, inFlight, duration, log => AppendCustomerAsync(log, Interlocked.Increment(ref customers)));

    private Task AppendCustomerAsync(SqlCustomerLog log, long customer)
    {
        var key = $"u:bench-baseline-{customer}";
        var now = DateTimeOffset.UtcNow;
        return customer % 3 == 0
            ? log.AppendAsync([Copy(memberEntry, key, now)], [], [], [new MembershipChange(Workspace, segment, key, Member: true)])
            : log.AppendAsync([Copy(otherEntry, key, now)]);
    }

    private static LogEntry Copy(LogEntry entry, string key, DateTimeOffset now) =>
        entry with { Workspace = Workspace, CustomerKey = key, Seq = 2, At = now, RecordedAt = now };
}
