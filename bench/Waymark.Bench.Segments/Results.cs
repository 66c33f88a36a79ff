using Waymark.Bench.Common;

namespace Waymark.Bench.Segments;

/// <summary>The customers ingested over HTTP, and how long the node took to quieten after the last answer.</summary>
internal sealed record IngestResult(int Customers, PhaseUse Use, TimeSpan Settling)
{
    public double CustomersPerSecond => Customers / Use.Elapsed.TotalSeconds;
}

/// <summary>A new segment over every customer: from its <c>PUT</c> until <c>GET</c> says <c>ready</c>.</summary>
/// <param name="Customers">The customer registry the backfill went through.</param>
/// <param name="Members">The segment's count once ready.</param>
/// <param name="Activated">Customer grains active once it was ready: a backfill deactivates each customer it visited.</param>
internal sealed record BackfillResult(long Customers, long Members, int Activated, PhaseUse Use)
{
    public double CustomersPerSecond => Customers / Use.Elapsed.TotalSeconds;
}

/// <summary>A <c>schedule</c> trigger's firing over the segment: from its <c>at</c> until the journey's statistics count
/// every member entered, and (from the log) until the last member's entry was committed.</summary>
internal sealed record BroadcastResult(long Members, TimeSpan FirstEntry, TimeSpan LastEntry, PhaseUse Use)
{
    /// <summary>Members over the time from <c>at</c> until the statistics counted them all.</summary>
    public double MembersPerSecond => Members / Use.Elapsed.TotalSeconds;

    /// <summary>Members over the time from <c>at</c> to the last entry's commit: without the statistics' flush.</summary>
    public double MembersPerSecondInLog => Members / LastEntry.TotalSeconds;
}

/// <summary>One gateway's round at one pace (<c>Waymark:Segments:BackfillPerSecond</c>): a backfill, then a broadcast.</summary>
internal sealed record PaceResult(int Pace, BackfillResult Backfill, BroadcastResult Broadcast);

/// <summary>The rounds at one pace, and their medians.</summary>
internal sealed record PaceRuns(int Pace, IReadOnlyList<PaceResult> Runs)
{
    public double BackfillPerSecond => Stats.Median(Runs.Select(r => r.Backfill.CustomersPerSecond));

    public TimeSpan TimeToReady => TimeSpan.FromSeconds(Stats.Median(Runs.Select(r => r.Backfill.Use.Elapsed.TotalSeconds)));

    public double BroadcastPerSecond => Stats.Median(Runs.Select(r => r.Broadcast.MembersPerSecond));

    public TimeSpan BroadcastTime => TimeSpan.FromSeconds(Stats.Median(Runs.Select(r => r.Broadcast.Use.Elapsed.TotalSeconds)));

    public double BroadcastPerSecondInLog => Stats.Median(Runs.Select(r => r.Broadcast.MembersPerSecondInLog));

    public TimeSpan LastEntry => TimeSpan.FromSeconds(Stats.Median(Runs.Select(r => r.Broadcast.LastEntry.TotalSeconds)));

    /// <summary>The round whose backfill rate is the median's (the lower middle one of an even count): whose CPU, threads and
    /// complaints the report shows.</summary>
    public PaceResult Typical => Runs.OrderBy(r => r.Backfill.CustomersPerSecond).ElementAt((Runs.Count - 1) / 2);
}

/// <summary>One database's figures.</summary>
internal sealed record DatabaseResult(
    string Name,
    bool OnPostgres,
    string Description,
    IngestResult Ingest,
    IReadOnlyList<PaceRuns> Paces,
    IReadOnlyList<LogAppendRun> Baseline,
    LogAppendRun BaselineAtBackfillConcurrency,
    IReadOnlyList<string> Notes)
{
    /// <summary>The customer log's own rate: customers per second, one small append each.</summary>
    public double BaselinePerSecond => Stats.Median(Baseline.Select(b => b.CustomersPerSecond));

    public double BaselineAppendsPerCommit => Stats.Median(Baseline.Select(b => b.Customers / (double)Math.Max(1, b.Transactions)));
}
