namespace Waymark.Drills.Common;

/// <summary>What a drill's run ends with: whether every check passed, and (its <see cref="object.ToString"/>) the report to print.</summary>
public interface IDrillReport
{
    bool Passed { get; }
}

/// <summary>
/// A drill's console command, so every drill answers its command line alike: <c>--help</c> prints the usage; a bad
/// option prints the reason and the usage, exit code 2; else the drill runs with its progress on the console, then its
/// report, exit code 0 when every check passed and 1 when one failed.
/// </summary>
public static class DrillCommand
{
    /// <param name="parse">Reads the options; throws <see cref="ArgumentException"/> with the reason for a bad one.</param>
    /// <param name="run">Runs the drill, each line of its progress to the log it is given.</param>
    public static async Task<int> RunAsync<TOptions, TReport>(
        IReadOnlyList<string> args, string usage, Func<IReadOnlyList<string>, TOptions> parse, Func<TOptions, Action<string>, Task<TReport>> run)
        where TReport : IDrillReport
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(usage);
            return 0;
        }

        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(usage);
            return 2;
        }

        var report = await run(options, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"));
        Console.WriteLine();
        Console.WriteLine(report);
        return report.Passed ? 0 : 1;
    }
}
