namespace Waymark.Bench.Ingestion;

/// <summary>What one timed run achieved. Events are those acknowledged: acknowledged means durable.</summary>
internal sealed record LoadResult(
    long Events,
    TimeSpan Elapsed,
    CpuUse Cpu,
    int Errors = 0,
    string? FirstError = null,
    double LatencyP50Ms = double.NaN,
    double LatencyP99Ms = double.NaN)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;
}
