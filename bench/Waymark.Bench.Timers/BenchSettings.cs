namespace Waymark.Bench.Timers;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>.</summary>
internal sealed record BenchSettings : Common.BenchSettings
{
    public int WakeUps { get; init; } = 200_000;

    /// <summary>Distinct target grains the wake-ups go to, round robin.</summary>
    public int Targets { get; init; } = 10_000;

    /// <summary>The spread load's wake-ups fall due evenly over this window.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From the start of scheduling to the first due time: scheduling must be over by then.</summary>
    public TimeSpan Lead { get; init; } = TimeSpan.FromSeconds(15);

    public static BenchSettings Parse(string[] args) => ParseArguments<BenchSettings>(
        args,
        "--wake-ups, --targets, --window-seconds, --lead-seconds",
        (settings, name, value) => name switch
        {
            "--wake-ups" => settings with { WakeUps = Number(value) },
            "--targets" => settings with { Targets = Number(value) },
            "--window-seconds" => settings with { Window = Seconds(value) },
            "--lead-seconds" => settings with { Lead = Seconds(value) },
            _ => null,
        });
}
