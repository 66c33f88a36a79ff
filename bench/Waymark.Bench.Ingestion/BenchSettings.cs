namespace Waymark.Bench.Ingestion;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>.</summary>
internal sealed record BenchSettings : Common.BenchSettings
{
    public int Customers { get; init; } = 10_000;

    public int BatchSize { get; init; } = 100;

    public int Concurrency { get; init; } = 16;

    public int Runs { get; init; } = 3;

    /// <summary>Length of each measured run, of Waymark and of the baseline alike.</summary>
    public TimeSpan RunTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load after every customer has been touched once and before the first measured run: JIT, pools, caches.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    public static BenchSettings Parse(string[] args) => ParseArguments<BenchSettings>(
        args,
        "--customers, --batch-size, --concurrency, --runs, --seconds, --warm-up-seconds",
        (settings, name, value) => name switch
        {
            "--customers" => settings with { Customers = Number(value) },
            "--batch-size" => settings with { BatchSize = Number(value) },
            "--concurrency" => settings with { Concurrency = Number(value) },
            "--runs" => settings with { Runs = Number(value) },
            "--seconds" => settings with { RunTime = Seconds(value) },
            "--warm-up-seconds" => settings with { WarmUp = Seconds(value) },
            _ => null,
        });
}
