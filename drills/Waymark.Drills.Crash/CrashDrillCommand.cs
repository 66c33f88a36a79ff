using Waymark.Drills.Common;

namespace Waymark.Drills.Crash;

/// <summary>
/// <c>dotnet run -c Release --project drills/Waymark.Drills.Crash -- [--kills 10] [--customers N] [--seed S]</c>: the full
/// crash drill, its progress and report on the console; exit code 0 when every check passed.
/// </summary>
public static class CrashDrillCommand
{
    public static Task<int> Main(string[] args) =>
        DrillCommand.RunAsync(args, CrashDrillOptions.Usage, CrashDrillOptions.Parse, (options, log) => CrashDrill.RunAsync(options, GatewayAssembly.Location, log));
}
