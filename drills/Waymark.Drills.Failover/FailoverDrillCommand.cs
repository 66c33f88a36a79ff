namespace Waymark.Drills.Failover;

/// <summary>
/// <c>dotnet run -c Release --project drills/Waymark.Drills.Failover -- [options]</c>: the full failover drill, its
/// progress and report on the console; exit code 0 when every check passed.
/// </summary>
public static class FailoverDrillCommand
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(FailoverDrillOptions.Usage);
            return 0;
        }

        FailoverDrillOptions options;
        try
        {
            options = FailoverDrillOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(FailoverDrillOptions.Usage);
            return 2;
        }

        var report = await FailoverDrill.RunAsync(options, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"));
        Console.WriteLine();
        Console.WriteLine(report);
        return report.Passed ? 0 : 1;
    }
}
