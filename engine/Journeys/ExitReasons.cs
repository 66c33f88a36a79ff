namespace Waymark.Engine.Journeys;

/// <summary>The reasons of <see cref="Exited"/>, as the timeline and stats write them (api.md §2).</summary>
public static class ExitReasons
{
    /// <summary>The run reached an exit node.</summary>
    public const string ExitNode = "exit_node";

    /// <summary>An exitWhen event or segment exit ended it.</summary>
    public const string ExitCriterion = "exit_criterion";

    /// <summary>The journey was archived.</summary>
    public const string Archived = "archived";

    /// <summary>A wait's <c>until</c> property was missing or not a timestamp.</summary>
    public const string InvalidUntil = "invalid_until";

    /// <summary>Issued by the grain, never by a step: two profiles merged and this run was the younger.</summary>
    public const string Merged = "merged";
}
