namespace Waymark.Bench.Timers;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>.</summary>
internal sealed record BenchSettings : Common.BenchSettings
{
    /// <summary>Wake-ups of each load and rows of the baseline.</summary>
    public int WakeUps { get; init; } = 100_000;

    /// <summary>Distinct target grains the wake-ups go to, round robin.</summary>
    public int Targets { get; init; } = 10_000;

    /// <summary>The spread load's wake-ups fall due evenly over this window: with the default wake-ups, 3,333 a second.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>From the start of scheduling to the first due time: scheduling must be over by then.</summary>
    public TimeSpan Lead { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs of the baseline, the spread load and the burst, in turn; the report gives medians.</summary>
    public int Runs { get; init; } = 3;

    public static BenchSettings Parse(string[] args) => ParseArguments<BenchSettings>(
        args,
        "--wake-ups, --targets, --window-seconds, --lead-seconds, --runs",
        (settings, name, value) => name switch
        {
            "--wake-ups" => settings with { WakeUps = Number(value) },
            "--targets" => settings with { Targets = Number(value) },
            "--window-seconds" => settings with { Window = Seconds(value) },
            "--lead-seconds" => settings with { Lead = Seconds(value) },
            "--runs" => settings with { Runs = Number(value) is > 0 and var runs ? runs : throw new ArgumentException("--runs needs 1 or more.") },
            _ => null,
        });
}
