using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Waymark.Engine.Journeys;

/// <summary>
/// The counts of one journey node (api.md "stats"): runs that arrived, that moved on, and that ended here by
/// reason. How many are here now follows from them, so entered = current + movedOn + Σ exited always holds.
/// </summary>
public sealed record NodeCount(long Entered, long MovedOn, ImmutableDictionary<string, long> Exited)
{
    /// <summary>No run arrived, moved on or ended.</summary>
    public static NodeCount Zero { get; } = new(0, 0, ImmutableDictionary<string, long>.Empty);

    /// <summary>One run arrived.</summary>
    public static NodeCount Arrival { get; } = Zero with { Entered = 1 };

    /// <summary>One run moved on.</summary>
    public static NodeCount Departure { get; } = Zero with { MovedOn = 1 };

    /// <summary>One run ended here for <paramref name="reason"/>.</summary>
    public static NodeCount Exit(string reason) => Zero with { Exited = Zero.Exited.Add(reason, 1) };

    /// <summary>Runs at the node now.</summary>
    [JsonIgnore]
    public long Current => Entered - MovedOn - Exited.Values.Sum();

    /// <summary>Both counts added up.</summary>
    public NodeCount Plus(NodeCount other)
    {
        var exited = Exited;
        foreach (var (reason, count) in other.Exited)
        {
            exited = exited.SetItem(reason, exited.GetValueOrDefault(reason) + count);
        }

        return new NodeCount(Entered + other.Entered, MovedOn + other.MovedOn, exited);
    }

    public bool Equals(NodeCount? other) =>
        other is not null
        && Entered == other.Entered
        && MovedOn == other.MovedOn
        && Exited.Count == other.Exited.Count
        && Exited.All(e => other.Exited.TryGetValue(e.Key, out var count) && count == e.Value);

    public override int GetHashCode() => HashCode.Combine(Entered, MovedOn, Exited.Count);
}
