namespace Waymark.Definitions.Journeys;

/// <summary>The node types as the canvas names them in <c>type</c>.</summary>
public static class NodeTypes
{
    public const string Wait = "wait";
    public const string WaitEvent = "waitEvent";
    public const string Condition = "condition";
    public const string Split = "split";
    public const string Send = "send";
    public const string Update = "update";
    public const string Exit = "exit";

    /// <summary>Every node type, in the order canvas.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Wait, WaitEvent, Condition, Split, Send, Update, Exit];

    /// <summary>Whether a run holds at nodes of this type until time passes or an event arrives, which a cycle needs.</summary>
    public static bool Waits(string type) => type is Wait or WaitEvent;
}
