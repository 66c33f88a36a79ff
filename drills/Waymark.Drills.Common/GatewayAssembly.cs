namespace Waymark.Drills.Common;

/// <summary>The gateway a drill starts as a child process.</summary>
public static class GatewayAssembly
{
    /// <summary>The gateway's entry assembly: built beside the drill (a project reference of the drill), with its runtimeconfig and deps files.</summary>
    public static string Location => typeof(global::Program).Assembly.Location;
}
