using Waymark.Grains.Segments;

namespace Waymark.Bench.Segments;

/// <summary>The shape of the load; every field can be set on the command line as <c>--name value</c>, and
/// <c>--quick</c> (no value) makes one round of each pace over <see cref="QuickCustomers"/> to try things out.</summary>
internal sealed record BenchSettings : Common.BenchSettings
{
    public const int QuickCustomers = 10_000;

    /// <summary>Customers ingested, each with traits, all of them visited by every backfill: enough that a backfill runs
    /// for tens of seconds, few enough that three rounds of each pace on two databases take about half an hour.</summary>
    public int Customers { get; init; } = 30_000;

    /// <summary>The pace of the second round unless set: high enough that the pace never waits, so what is measured is
    /// the ceiling.</summary>
    public const int CeilingPace = 1_000_000;

    /// <summary>The backfill and broadcast paces (<c>Waymark:Segments:BackfillPerSecond</c>) of the rounds, in order,
    /// each a gateway of its own: the node's default, then <see cref="CeilingPace"/>.</summary>
    public IReadOnlyList<int> Paces { get; init; } = [DefaultPace, CeilingPace];

    /// <summary>Identify messages per <c>POST /v1/batch</c>.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Requests in flight while customers are ingested.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>How far ahead of its publication a broadcast's <c>at</c> lies: publication must be done by then.</summary>
    public TimeSpan Lead { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rounds of each pace, and runs of the baseline; medians reported.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>Length of each baseline run.</summary>
    public TimeSpan BaselineTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The pace a node runs at unless configured: the first round of the benchmark.</summary>
    public static int DefaultPace => new SegmentOptions().BackfillPerSecond;

    public static BenchSettings Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = args.Contains("--quick");
        var settings = ParseArguments<BenchSettings>(
            [.. args.Where(a => a != "--quick")],
            "--quick, --customers, --ceiling-pace, --paces (a,b,…), --batch-size, --concurrency, --lead-seconds, --runs, --baseline-seconds",
            (settings, name, value) => name switch
            {
                "--customers" => settings with { Customers = Number(value) },
                "--ceiling-pace" => settings with { Paces = [DefaultPace, Number(value)] },
                "--paces" => settings with { Paces = [.. value.Split(',').Select(Number)] },
                "--batch-size" => settings with { BatchSize = Number(value) },
                "--concurrency" => settings with { Concurrency = Number(value) },
                "--lead-seconds" => settings with { Lead = Seconds(value) },
                "--runs" => settings with { Runs = Number(value) },
                "--baseline-seconds" => settings with { BaselineTime = Seconds(value) },
                _ => null,
            });
        return quick
            ? settings with { Customers = args.Contains("--customers") ? settings.Customers : QuickCustomers, Runs = args.Contains("--runs") ? settings.Runs : 1 }
            : settings;
    }
}
