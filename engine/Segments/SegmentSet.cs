using System.Collections.Frozen;
using System.Collections.Immutable;
using Waymark.Definitions.Predicates;

namespace Waymark.Engine.Segments;

/// <summary>
/// A workspace's segment rules prepared once for evaluating every customer (<see cref="SegmentEvaluation"/>): the
/// order that puts each segment after those it names, and the event history the rules read.
/// </summary>
public sealed class SegmentSet
{
    /// <summary>
    /// The rules of <paramref name="segments"/> (id → <c>where</c>), with the workspace's RFM window
    /// (null: <see cref="Rfm.DefaultWindow"/>). A segment named but not in the set has no members.
    /// </summary>
    /// <exception cref="ArgumentException">Segments name each other in a cycle, which saving a segment refuses.</exception>
    public SegmentSet(IReadOnlyDictionary<string, Predicate> segments, TimeSpan? rfmWindow = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var rules = segments.ToFrozenDictionary(StringComparer.Ordinal);
        Rules = rules;
        EvaluationOrder = DependencyOrder(rules);
        if (EvaluationOrder.Length < Rules.Count)
        {
            var cycle = Rules.Keys.Except(EvaluationOrder, StringComparer.Ordinal).Order(StringComparer.Ordinal);
            throw new ArgumentException($"Segments in or behind a cycle of segments naming each other: {string.Join(", ", cycle)}.", nameof(segments));
        }

        RfmWindow = rfmWindow ?? Rfm.DefaultWindow;
        ReadsRfm = Rules.Values.Any(rule => rule.SelfAndDescendants().OfType<RfmPredicate>().Any());

        var windows = new Dictionary<string, TimeSpan?>(Predicates.HistoryWindows.Of(Rules.Values), StringComparer.Ordinal);
        if (ReadsRfm)
        {
            // RFM is scored from the orders over the RFM window, so they are loaded too, unless a rule already counts
            // them over longer (null, all history, included: the lifted comparison is false).
            var counted = windows.GetValueOrDefault(Rfm.OrderEvent, RfmWindow);
            windows[Rfm.OrderEvent] = counted < RfmWindow ? RfmWindow : counted;
        }

        HistoryWindows = windows.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Each segment's rule by id.</summary>
    public IReadOnlyDictionary<string, Predicate> Rules { get; }

    /// <summary>Every segment id, each after the segments its rule names; ordinal among independent ones.</summary>
    public ImmutableArray<string> EvaluationOrder { get; }

    /// <summary>
    /// The events the rules count, each with the longest window it is counted over (null: all history), as
    /// <see cref="Predicates.HistoryWindows.Of"/> gives them, plus <c>order_completed</c> over the RFM window when
    /// a rule reads an RFM class: what to load into the customer's history before evaluating.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan?> HistoryWindows { get; }

    /// <summary>The window RFM scores are computed over.</summary>
    public TimeSpan RfmWindow { get; }

    /// <summary>Whether a rule reads the customer's RFM class.</summary>
    public bool ReadsRfm { get; }

    // Kahn's algorithm over the references within the set, taking ready segments in ordinal order; segments on a
    // cycle, or naming one, are never ready and are left out.
    private static ImmutableArray<string> DependencyOrder(FrozenDictionary<string, Predicate> rules)
    {
        var waitingOn = rules.ToDictionary(r => r.Key, r => r.Value.ReferencedSegments().Count(rules.ContainsKey), StringComparer.Ordinal);
        var namedBy = rules.Keys.ToDictionary(id => id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var (id, rule) in rules)
        {
            foreach (var named in rule.ReferencedSegments().Where(rules.ContainsKey))
            {
                namedBy[named].Add(id);
            }
        }

        var ready = new PriorityQueue<string, string>(StringComparer.Ordinal);
        foreach (var id in waitingOn.Where(w => w.Value == 0).Select(w => w.Key))
        {
            ready.Enqueue(id, id);
        }

        var order = ImmutableArray.CreateBuilder<string>(rules.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            order.Add(id);
            foreach (var dependent in namedBy[id])
            {
                if (--waitingOn[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        return order.ToImmutable();
    }
}
