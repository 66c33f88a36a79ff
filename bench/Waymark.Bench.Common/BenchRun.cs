using Waymark.Testing;

namespace Waymark.Bench.Common;

/// <summary>The frame of a benchmark's run: its databases one after the other, progress on stderr, and the report.</summary>
public static class BenchRun
{
    /// <summary>The variable naming the PostgreSQL server the benchmarks create their databases on.</summary>
    public const string PostgresServerVariable = "WAYMARK_BENCH_POSTGRES";

    /// <summary>
    /// A benchmark's whole run: its settings from <paramref name="args"/>; <paramref name="measure"/> of the embedded
    /// SQLite default, then of PostgreSQL, as far as the settings include them, each database disposed of before the
    /// next is made; then the <paramref name="report"/> of the results, printed and written into its section of
    /// <c>docs/benchmarks.md</c>.
    /// </summary>
    public static async Task MainAsync<TSettings, TDatabase, TResult>(
        string[] args,
        Func<string[], TSettings> parse,
        Func<TDatabase> sqlite,
        Func<Task<TDatabase>> postgres,
        Func<TDatabase, TSettings, Task<TResult>> measure,
        Func<TSettings, string[], IReadOnlyList<TResult>, string> report)
        where TSettings : BenchSettings
        where TDatabase : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(sqlite);
        ArgumentNullException.ThrowIfNull(postgres);
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(report);
        var settings = parse(args);
        var results = new List<TResult>();
        if (settings.Includes("sqlite"))
        {
            await using var database = sqlite();
            results.Add(await measure(database, settings));
        }

        if (settings.Includes("postgres"))
        {
            await using var database = await postgres();
            results.Add(await measure(database, settings));
        }

        await PublishAsync(report(settings, args, results));
    }

    /// <summary>A fresh PostgreSQL database on the server of <see cref="PostgresServerVariable"/>, dropped on dispose.</summary>
    public static Task<PostgresDatabase> CreatePostgresDatabaseAsync()
    {
        // PostgresDatabase creates and drops a database on the server its variable names; the benchmarks have a
        // variable of their own, with the same default server.
        if (Environment.GetEnvironmentVariable(PostgresServerVariable) is { Length: > 0 } server)
        {
            Environment.SetEnvironmentVariable(PostgresDatabase.ServerVariable, server);
        }

        return PostgresDatabase.CreateAsync();
    }

    /// <summary>A line of progress, on stderr: stdout carries the report.</summary>
    public static Task Progress(string line) => Console.Error.WriteLineAsync(line);

    /// <summary>
    /// Prints <paramref name="report"/> and writes it into <c>docs/benchmarks.md</c> as the section its heading names,
    /// keeping every other benchmark's section.
    /// </summary>
    private static async Task PublishAsync(string report)
    {
        Console.Write(report);
        var file = Path.Combine(RepositoryRoot(), "docs", "benchmarks.md");
        var document = File.Exists(file) ? await File.ReadAllTextAsync(file) : "";
        await File.WriteAllTextAsync(file, BenchReport.ReplaceSection(document, report));
        await Console.Error.WriteLineAsync($"written to {file}");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
