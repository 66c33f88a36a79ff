using Waymark.Bench.Common;

namespace Waymark.Bench.Segments;

/// <summary>
/// The segment runtime under load, on the embedded SQLite default and on PostgreSQL: how fast a new segment is
/// backfilled over every customer, and how fast a scheduled broadcast enrols its members, at the default pace and with
/// the pace raised out of the way, beside the customer log's own append rate; prints a markdown report and writes it
/// into its section of <c>docs/benchmarks.md</c>.
/// </summary>
internal static class SegmentsBenchmark
{
    public const string Command = "dotnet run -c Release --project bench/Waymark.Bench.Segments";

    private static Task Main(string[] args) => BenchRun.MainAsync<BenchSettings, BenchDatabase, DatabaseResult>(
        args, BenchSettings.Parse, () => new SqliteBenchDatabase(), async () => await PostgresBenchDatabase.CreateAsync(), MeasureAsync, Report.Markdown);

    private static Task<DatabaseResult> MeasureAsync(BenchDatabase database, BenchSettings settings) =>
        new SegmentsLoad(database, settings).MeasureAsync();
}
