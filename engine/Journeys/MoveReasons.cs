namespace Waymark.Engine.Journeys;

/// <summary>The reasons of <see cref="Moved"/>, as the timeline writes them (api.md §2).</summary>
public static class MoveReasons
{
    private const string BranchPrefix = "branch:";

    /// <summary>A wait came due, or a send or update did its work.</summary>
    public const string Next = "next";

    /// <summary>A waitEvent's timeout passed.</summary>
    public const string Timeout = "timeout";

    /// <summary>The awaited event arrived.</summary>
    public const string Event = "event";

    public const string ConditionTrue = "condition_true";
    public const string ConditionFalse = "condition_false";

    /// <summary><c>branch:&lt;name&gt;</c>, the split branch taken.</summary>
    public static string Branch(string name) => BranchPrefix + name;

    /// <summary>The split branch a move took, when <paramref name="reason"/> is a <see cref="Branch"/>; else null.</summary>
    public static string? BranchOf(string reason) => reason.StartsWith(BranchPrefix, StringComparison.Ordinal) ? reason[BranchPrefix.Length..] : null;
}
