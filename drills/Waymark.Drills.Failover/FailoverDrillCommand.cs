using Waymark.Drills.Common;

namespace Waymark.Drills.Failover;

/// <summary>
/// <c>dotnet run -c Release --project drills/Waymark.Drills.Failover -- [options]</c>: the full failover drill, its
/// progress and report on the console; exit code 0 when every check passed.
/// </summary>
public static class FailoverDrillCommand
{
    public static Task<int> Main(string[] args) =>
        DrillCommand.RunAsync(args, FailoverDrillOptions.Usage, FailoverDrillOptions.Parse, FailoverDrill.RunAsync);
}
