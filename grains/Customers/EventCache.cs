using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Grains.Customers;

/// <summary>
/// The customer's events that predicates count, by name, each read from the log once per activation (as far back as any
/// predicate has asked) and kept up to date as events are applied: a journey's round or a segment evaluation on every
/// ingested event costs no log read once the names it counts are here.
/// </summary>
internal sealed class EventCache
{
    private readonly Dictionary<string, (Instant From, List<CustomerEvent> Events)> byName = new(StringComparer.Ordinal);

    /// <summary>Whether the events named <paramref name="name"/> are here from <paramref name="from"/> on.</summary>
    public bool Covers(string name, Instant from) => byName.TryGetValue(name, out var loaded) && loaded.From <= from;

    /// <summary>Keeps what the log holds of <paramref name="name"/> from <paramref name="from"/> on, in place of anything shorter.</summary>
    public void Load(string name, Instant from, IEnumerable<CustomerEvent> events) => byName[name] = (from, [.. events]);

    /// <summary>An event just applied: kept when its name is one predicates count.</summary>
    public void Observe(CustomerEvent e)
    {
        if (byName.TryGetValue(e.Name, out var loaded))
        {
            loaded.Events.Add(e);
        }
    }

    /// <summary>Forgets everything (a merge brings another customer's events).</summary>
    public void Clear() => byName.Clear();

    public EventHistory History() => new(byName.Values.SelectMany(h => h.Events));
}
