using Waymark.Bench.Common;

namespace Waymark.Bench.Runtime;

/// <summary>Customers entered into a journey over HTTP, the burst and then the spread: each took
/// <see cref="BenchJourneys.StepsBeforeWait"/> steps in the round its event triggered, committed before its request was
/// answered.</summary>
internal sealed record EnterResult(int Customers, PhaseUse Burst, PhaseUse Spread)
{
    public double EventsPerSecond => Customers / (Burst.Elapsed + Spread.Elapsed).TotalSeconds;

    public double StepsPerSecond => EventsPerSecond * BenchJourneys.StepsBeforeWait;
}

/// <summary>
/// Every customer's wait due at the same instant. <see cref="StepSamples"/> are the post-wait steps of each whole
/// second after it (from the rounds' times in the log); the wheel wakes in due order, so the outbox wake-ups of the
/// sends (due when their round ran) come after every wait's, and <see cref="Sustained"/> covers both: all of the
/// steps' work, messages included.
/// </summary>
internal sealed record CapacityResult(
    int Customers,
    TimeSpan StepsElapsed,
    TimeSpan MessagesElapsed,
    IReadOnlyList<double> StepSamples,
    Lateness WakeUps,
    PhaseUse Use)
{
    public double PeakStepsPerSecond => StepSamples.Count > 0 ? Stats.Median(StepSamples) : Customers * BenchJourneys.StepsAfterWait / StepsElapsed.TotalSeconds;

    /// <summary>Post-wait steps per second, from the due time to the last message recorded.</summary>
    public double SustainedStepsPerSecond => Customers * BenchJourneys.StepsAfterWait / MessagesElapsed.TotalSeconds;

    /// <summary>Appends per log transaction over the drain: the wake-up's round and the message's, per customer.</summary>
    public double AppendsPerCommit => 2.0 * Customers / Math.Max(1, Use.Commits);
}

/// <summary>With every customer waiting and its grain active, and again once <see cref="Collected"/> of them (the
/// burst's) were deactivated, less the process before they entered. What a collected customer still costs is what an
/// active one costs less what its collection gave back.</summary>
internal sealed record MemoryResult(
    int Customers, int Collected, MemorySample Before, MemorySample Active, MemorySample Idle, int ActiveGrains, int GrainsLeft, PhaseUse Collection)
{
    public double HeapPerActive => (Active.HeapBytes - Before.HeapBytes) / (double)Customers;

    public double HeapPerIdle => HeapPerActive - ((Active.HeapBytes - Idle.HeapBytes) / (double)Collected);

    public double WorkingSetPerActive => (Active.WorkingSetBytes - Before.WorkingSetBytes) / (double)Customers;

    public double WorkingSetPerIdle => WorkingSetPerActive - ((Active.WorkingSetBytes - Idle.WorkingSetBytes) / (double)Collected);

    /// <summary>Deactivations per second, each saving its snapshot.</summary>
    public double DeactivationsPerSecond => Collected / Collection.Elapsed.TotalSeconds;
}

/// <summary>Lateness in milliseconds: from due time to the round that acted on it.</summary>
internal sealed record Lateness(double P50, double P99, double Max)
{
    public static Lateness Of(List<double> milliseconds)
    {
        milliseconds.Sort();
        return milliseconds.Count == 0
            ? new Lateness(double.NaN, double.NaN, double.NaN)
            : new Lateness(Stats.Percentile(milliseconds, 0.50), Stats.Percentile(milliseconds, 0.99), milliseconds[^1]);
    }
}

/// <summary>Waits due evenly over a window: lateness of the wake-up's round and of the message.</summary>
internal sealed record LatenessResult(int Customers, TimeSpan Window, Lateness WakeUps, Lateness Messages, PhaseUse Use)
{
    public double OfferedStepsPerSecond => Customers * BenchJourneys.StepsAfterWait / Window.TotalSeconds;
}

/// <summary>One run's figures, on a gateway of its own.</summary>
internal sealed record RunResult(
    EnterResult Entering,
    MemoryResult Memory,
    CapacityResult Capacity,
    BaselineResult Baseline,
    LatenessResult Lateness,
    IReadOnlyList<string> Notes);

/// <summary>One database's runs.</summary>
internal sealed record DatabaseResult(string Name, bool OnPostgres, string Description, IReadOnlyList<RunResult> Runs)
{
    /// <summary>The first run's: the only one of this database whose process holds no gateway of its earlier runs.</summary>
    public MemorySample Before => Runs[0].Memory.Before;

    public double Median(Func<RunResult, double> figure) => Stats.Median(Runs.Select(figure));

    /// <summary>The median of a figure that may be missing (PostgreSQL's CPU on SQLite); null if a run lacks it.</summary>
    public double? MedianOrNull(Func<RunResult, double?> figure) => Runs.All(r => figure(r) is not null) ? Median(r => figure(r)!.Value) : null;
}
