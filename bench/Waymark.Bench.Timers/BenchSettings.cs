using System.Globalization;

namespace Waymark.Bench.Timers;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>.</summary>
internal sealed record BenchSettings
{
    public int WakeUps { get; init; } = 200_000;

    /// <summary>Distinct target grains the wake-ups go to, round robin.</summary>
    public int Targets { get; init; } = 10_000;

    /// <summary>The spread load's wake-ups fall due evenly over this window.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From the start of scheduling to the first due time: scheduling must be over by then.</summary>
    public TimeSpan Lead { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>all</c>.</summary>
    public string Database { get; init; } = "all";

    public bool Includes(string database) => Database == "all" || Database == database;

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--wake-ups" => settings with { WakeUps = int.Parse(value, CultureInfo.InvariantCulture) },
                "--targets" => settings with { Targets = int.Parse(value, CultureInfo.InvariantCulture) },
                "--window-seconds" => settings with { Window = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--lead-seconds" => settings with { Lead = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--database" when value is "sqlite" or "postgres" or "all" => settings with { Database = value },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}; known: --database sqlite|postgres|all, --wake-ups, --targets, --window-seconds, --lead-seconds."),
            };
        }

        return settings;
    }
}
