using System.Collections.Immutable;
using Waymark.Engine.Analysis;
using Waymark.Engine.Journeys;

namespace Waymark.Grains.Journeys;

/// <summary>
/// The counters a journey version's stats are kept in (<c>waymark_counts</c>), named so that a name reads back
/// unambiguously (node, branch and variant names never hold a '/'):
/// <list type="bullet">
/// <item><c>node/{node}/entered</c>, <c>node/{node}/movedOn</c>, <c>node/{node}/exited/{reason}</c>;</item>
/// <item><c>message/{node}/{variant}/{outcome}</c> per send node and variant (<c>-</c> when none was chosen), outcomes
/// <see cref="Sent"/>, <see cref="Failed"/>, … and <c>suppressed/{reason}</c>;</item>
/// <item><c>goal/entered</c> and <c>goal/converted</c>; <c>branch/{name}/…</c> and <c>variant/{name}/…</c> the same for the
/// runs that took a split branch or were sent a variant.</item>
/// </list>
/// </summary>
public static class JourneyCounters
{
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Delivered = "delivered";
    public const string Opened = "opened";
    public const string Clicked = "clicked";
    public const string Unsubscribed = "unsubscribed";

    private const string NodeKind = "node";
    private const string MessageKind = "message";
    private const string BranchKind = "branch";
    private const string VariantKind = "variant";
    private const string Goal = "goal";
    private const string Entered = "entered";
    private const string MovedOn = "movedOn";
    private const string Converted = "converted";
    private const string Exited = "exited";
    private const string SuppressedPrefix = "suppressed/";
    private const string NoVariant = "-";

    /// <summary>The counter of one <paramref name="outcome"/> (<see cref="Sent"/>, …) of a send node's messages of <paramref name="variant"/>.</summary>
    public static string Message(string node, string? variant, string outcome) => $"{MessageKind}/{node}/{variant ?? NoVariant}/{outcome}";

    /// <summary>The counter of a send node's messages suppressed by a sending rule for <paramref name="reason"/>.</summary>
    public static string Suppressed(string node, string? variant, string reason) => Message(node, variant, SuppressedPrefix + reason);

    /// <summary>The counters <paramref name="decisions"/> of one run change, and by how much; zero changes left out.</summary>
    public static IEnumerable<(string Name, long Delta)> Of(IEnumerable<Decision> decisions)
    {
        var all = decisions as IReadOnlyCollection<Decision> ?? [.. decisions];
        foreach (var (node, count) in NodeCounts.Of(all).Nodes)
        {
            if (count.Entered != 0)
            {
                yield return ($"{NodeKind}/{node}/{Entered}", count.Entered);
            }

            if (count.MovedOn != 0)
            {
                yield return ($"{NodeKind}/{node}/{MovedOn}", count.MovedOn);
            }

            foreach (var (reason, exited) in count.Exited.Where(e => e.Value != 0))
            {
                yield return ($"{NodeKind}/{node}/{Exited}/{reason}", exited);
            }
        }

        foreach (var decision in all)
        {
            switch (decision)
            {
                case RunEntered:
                    yield return ($"{Goal}/{Entered}", 1);
                    break;
                case Moved { Reason: var reason } when MoveReasons.BranchOf(reason) is { } branch:
                    yield return ($"{BranchKind}/{branch}/{Entered}", 1);
                    break;
                case SendMessage { Variant: { } variant }:
                    yield return ($"{VariantKind}/{variant}/{Entered}", 1);
                    break;
                case GoalReached goal:
                    yield return ($"{Goal}/{Converted}", 1);
                    if (goal.Branch is { } credited)
                    {
                        yield return ($"{BranchKind}/{credited}/{Converted}", 1);
                    }

                    if (goal.Variant is { } sentVariant)
                    {
                        yield return ($"{VariantKind}/{sentVariant}/{Converted}", 1);
                    }

                    break;
            }
        }
    }

    /// <summary>What counter totals add up to, read back by name; names of no known shape are skipped.</summary>
    public static CounterTotals Read(IEnumerable<(string Name, long Value)> totals)
    {
        var read = new CounterTotals();
        foreach (var (name, value) in totals)
        {
            var parts = name.Split('/', 4);
            switch (parts)
            {
                case [NodeKind, var node, Entered]:
                    read.Add(node, NodeCount.Zero with { Entered = value });
                    break;
                case [NodeKind, var node, MovedOn]:
                    read.Add(node, NodeCount.Zero with { MovedOn = value });
                    break;
                case [NodeKind, var node, Exited, var reason]:
                    read.Add(node, NodeCount.Zero with { Exited = NodeCount.Zero.Exited.Add(reason, value) });
                    break;
                case [MessageKind, var node, var variant, var outcome]:
                    read.Messages.Add((node, variant == NoVariant ? null : variant, outcome, value));
                    break;
                case [Goal, var field]:
                    read.Goal = read.Goal.With(field, value);
                    break;
                case [BranchKind, var branch, var field]:
                    read.Branches[branch] = read.Branches.GetValueOrDefault(branch).With(field, value);
                    break;
                case [VariantKind, var variant, var field]:
                    read.Variants[variant] = read.Variants.GetValueOrDefault(variant).With(field, value);
                    break;
            }
        }

        return read;
    }

    private static Conversion With(this Conversion conversion, string field, long value) => field switch
    {
        Entered => conversion with { Entries = conversion.Entries + value },
        Converted => conversion with { Converted = conversion.Converted + value },
        _ => conversion,
    };
}

/// <summary>Counter totals as <see cref="JourneyCounters.Read"/> reads them back.</summary>
public sealed class CounterTotals
{
    private readonly ImmutableDictionary<string, NodeCount>.Builder nodes = ImmutableDictionary.CreateBuilder<string, NodeCount>(StringComparer.Ordinal);

    public NodeCounts Nodes => new(nodes.ToImmutable());

    /// <summary>Each message counter: send node, variant (null when none was chosen), outcome (<c>sent</c>, <c>suppressed/{reason}</c>, …), total.</summary>
    public List<(string Node, string? Variant, string Outcome, long Value)> Messages { get; } = [];

    public Conversion Goal { get; set; }

    public Dictionary<string, Conversion> Branches { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Conversion> Variants { get; } = new(StringComparer.Ordinal);

    internal void Add(string node, NodeCount count) => nodes[node] = nodes.TryGetValue(node, out var sum) ? sum.Plus(count) : count;
}
