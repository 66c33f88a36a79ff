namespace Waymark.Engine.Predicates;

/// <summary>
/// The customer's events that event predicates count, answered from memory: the caller loads the windows
/// its predicates need (<see cref="HistoryWindows"/>) before evaluating, so an evaluation never does I/O.
/// </summary>
public interface IEventHistory
{
    /// <summary>Every event named <paramref name="name"/> the caller holds, in any order; empty when there are none.</summary>
    IReadOnlyList<CustomerEvent> Named(string name);
}
