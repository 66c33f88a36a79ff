using System.Globalization;

namespace Waymark.Bench.Ingestion;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>.</summary>
internal sealed record BenchSettings
{
    public int Customers { get; init; } = 10_000;

    public int BatchSize { get; init; } = 100;

    public int Concurrency { get; init; } = 16;

    public int Runs { get; init; } = 3;

    /// <summary>Length of each measured run, of Waymark and of the baseline alike.</summary>
    public TimeSpan RunTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load after every customer has been touched once and before the first measured run: JIT, pools, caches.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

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
                "--customers" => settings with { Customers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch-size" => settings with { BatchSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrency" => settings with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--runs" => settings with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => settings with { RunTime = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--database" when value is "sqlite" or "postgres" or "all" => settings with { Database = value },
                "--warm-up-seconds" => settings with { WarmUp = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}; known: --database sqlite|postgres|all, --customers, --batch-size, --concurrency, --runs, --seconds, --warm-up-seconds."),
            };
        }

        return settings;
    }
}
