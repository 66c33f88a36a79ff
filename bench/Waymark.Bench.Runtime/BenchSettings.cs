namespace Waymark.Bench.Runtime;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>.</summary>
internal sealed record BenchSettings : Common.BenchSettings
{
    /// <summary>Customers whose waits fall due over the window: the lateness load, with all of them waiting.</summary>
    public int Customers { get; init; } = 10_000;

    /// <summary>Customers whose waits fall due at the same instant, before the window: the capacity load.</summary>
    public int Burst { get; init; } = 10_000;

    /// <summary>Runs of the whole load, each on a gateway of its own with one baseline run after its capacity load;
    /// the report gives medians.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>The lateness load's wake-ups fall due evenly over this window: with the default customers, 333 a
    /// second (667 steps/s), less than the node sustains.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Track messages per <c>POST /v1/batch</c>.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Requests in flight while customers enter.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Length of each baseline run.</summary>
    public TimeSpan BaselineTime { get; init; } = TimeSpan.FromSeconds(5);

    public static BenchSettings Parse(string[] args) => ParseArguments<BenchSettings>(
        args,
        "--customers, --burst, --runs, --window-seconds, --batch-size, --concurrency, --baseline-seconds",
        (settings, name, value) => name switch
        {
            "--customers" => settings with { Customers = Number(value) },
            "--burst" => settings with { Burst = Number(value) },
            "--runs" => settings with { Runs = Number(value) is > 0 and var runs ? runs : throw new ArgumentException("--runs needs 1 or more.") },
            "--window-seconds" => settings with { Window = Seconds(value) },
            "--batch-size" => settings with { BatchSize = Number(value) },
            "--concurrency" => settings with { Concurrency = Number(value) },
            "--baseline-seconds" => settings with { BaselineTime = Seconds(value) },
            _ => null,
        });
}
