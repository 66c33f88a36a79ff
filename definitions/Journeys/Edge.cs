namespace Waymark.Definitions.Journeys;

/// <summary>
/// One way out of a node: the <see cref="Target"/> node id, labelled with the field that names it
/// (<c>next</c>, <c>timeoutNext</c>, <c>then</c>, <c>else</c>) or, for a split, the branch name.
/// </summary>
public sealed record Edge(string Label, string Target)
{
    public const string Next = "next";
    public const string TimeoutNext = "timeoutNext";
    public const string Then = "then";
    public const string Else = "else";
}
