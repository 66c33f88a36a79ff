namespace Waymark.Definitions.Journeys;

/// <summary>Who may enter a journey and how often (canvas.md "Entry, exit, goal").</summary>
/// <param name="Cooldown">The least time between two entries of one customer, when set.</param>
/// <param name="Limit">The most entries in total across the cluster, when set.</param>
public sealed record EntryRules(Reentry Reentry, TimeSpan? Cooldown, long? Limit)
{
    /// <summary>Once per customer, no cooldown, no limit: the rules of a canvas without <c>entry</c>.</summary>
    public static EntryRules Default { get; } = new(Reentry.Never, null, null);
}

/// <summary>Whether a customer who already entered may enter again.</summary>
public enum Reentry
{
    /// <summary>Once per customer per journey.</summary>
    Never,

    /// <summary>Again once the previous run ended.</summary>
    AfterExit,

    /// <summary>A new, independent run on every trigger, even while others are running.</summary>
    Always,
}
