using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Predicates;

/// <summary>
/// Which events, over how long, predicates count: what an <see cref="IEventHistory"/> must hold in memory
/// for their evaluation to be right without I/O.
/// </summary>
public static class HistoryWindows
{
    /// <summary>
    /// Each event name the event predicates in <paramref name="predicates"/> count, at any depth, with the
    /// longest <c>within</c> among them; null when one of them reads all history.
    /// </summary>
    public static IReadOnlyDictionary<string, TimeSpan?> Of(params IEnumerable<Predicate> predicates)
    {
        var windows = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        foreach (var counted in predicates.SelectMany(p => p.SelfAndDescendants()).OfType<EventPredicate>())
        {
            windows[counted.Event] = windows.TryGetValue(counted.Event, out var known) ? Longer(known, counted.Within) : counted.Within;
        }

        return windows;
    }

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is { } x && b is { } y ? (x > y ? x : y) : null;
}
