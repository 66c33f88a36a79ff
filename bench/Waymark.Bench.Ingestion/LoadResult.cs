using Waymark.Bench.Common;

namespace Waymark.Bench.Ingestion;

/// <summary>
/// What one timed run achieved. Events are those acknowledged: acknowledged means durable. Log commits are the
/// customer log's transactions, so events per commit shows how well its group commit batches.
/// </summary>
internal sealed record LoadResult(
    long Events,
    TimeSpan Elapsed,
    CpuUse Cpu,
    int Errors = 0,
    string? FirstError = null,
    double LatencyP50Ms = double.NaN,
    double LatencyP99Ms = double.NaN,
    long LogCommits = 0)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
