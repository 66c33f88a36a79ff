using System.Collections.Frozen;

namespace Waymark.Engine.Predicates;

/// <summary>An <see cref="IEventHistory"/> over events already in memory, grouped by name once.</summary>
public sealed class EventHistory : IEventHistory
{
    private readonly FrozenDictionary<string, CustomerEvent[]> _byName;

    /// <summary>A history holding exactly <paramref name="events"/>.</summary>
    public EventHistory(IEnumerable<CustomerEvent> events) =>
        _byName = events.GroupBy(e => e.Name, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>A customer with no events.</summary>
    public static EventHistory Empty { get; } = new([]);

    public IReadOnlyList<CustomerEvent> Named(string name) => _byName.TryGetValue(name, out var events) ? events : [];
}
