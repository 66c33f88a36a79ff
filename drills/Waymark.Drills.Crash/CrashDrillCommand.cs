namespace Waymark.Drills.Crash;

/// <summary>
/// <c>dotnet run -c Release --project drills/Waymark.Drills.Crash -- [--kills 10] [--customers N] [--seed S]</c>: the full
/// crash drill, its progress and report on the console; exit code 0 when every check passed.
/// </summary>
public static class CrashDrillCommand
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(CrashDrillOptions.Usage);
            return 0;
        }

        CrashDrillOptions options;
        try
        {
            options = CrashDrillOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(CrashDrillOptions.Usage);
            return 2;
        }

        // The gateway is built beside this drill (a project reference), with its runtimeconfig and deps files.
        var gateway = typeof(global::Program).Assembly.Location;
        var report = await CrashDrill.RunAsync(options, gateway, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"));
        Console.WriteLine();
        Console.WriteLine(report);
        return report.Passed ? 0 : 1;
    }
}
