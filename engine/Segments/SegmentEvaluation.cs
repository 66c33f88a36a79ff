using System.Collections.Immutable;
using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Segments;

/// <summary>
/// A customer's membership of every segment of a workspace at one instant, and when it may next change with no new
/// data, so the runtime schedules one wake-up per customer rather than one per segment.
/// </summary>
public static class SegmentEvaluation
{
    /// <summary>
    /// Evaluates every rule of <paramref name="set"/> for <paramref name="customer"/> at <paramref name="now"/>, each
    /// after the segments it names, so a rule naming a segment sees that segment's new result. The customer's own
    /// <see cref="CustomerFacts.Segments"/> are not read; the history must hold <see cref="SegmentSet.HistoryWindows"/>.
    /// </summary>
    public static SegmentMembership Evaluate(SegmentSet set, CustomerFacts customer, Instant now)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(customer);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var facts = new EvaluationFacts(now, customer with { Segments = members }, null, RunValues.None);
        var changes = new ChangeTimes(now);
        foreach (var id in set.EvaluationOrder)
        {
            var rule = set.Rules[id];
            if (PredicateEvaluator.Evaluate(rule, facts))
            {
                members.Add(id);
            }

            // Read after the segments it names are in: a where may name one.
            PredicateChanges.Add(rule, facts, changes);
        }

        if (set.ReadsRfm)
        {
            // The RFM class is a fact computed at now; the customer's own orders entering or leaving the RFM window
            // change it. Means moving with other customers are the means refresh's to re-evaluate, not this.
            var orders = customer.History.Named(Rfm.OrderEvent);
            for (var i = 0; i < orders.Count; i++)
            {
                changes.AddWindow(orders[i].Timestamp, set.RfmWindow);
            }
        }

        return new SegmentMembership(members.ToImmutableSortedSet(StringComparer.Ordinal), changes.Next);
    }
}

/// <summary>
/// The segments a customer is a member of, and <paramref name="NextChange"/>: the earliest instant after the
/// evaluation at which a membership could change with no new data (null: none can). Evaluating at any instant
/// before it gives the same membership; at it, the membership may or may not change.
/// </summary>
public sealed record SegmentMembership(ImmutableSortedSet<string> Segments, Instant? NextChange);
