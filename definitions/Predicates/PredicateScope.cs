namespace Waymark.Definitions.Predicates;

/// <summary>
/// Where a predicate sits, which decides what it may read: whether there is an event for
/// <see cref="PropertyPredicate"/>, and whether <c>{ "path" }</c> values may read the journey run
/// (<c>trigger.properties</c>, <c>event.properties</c>) or only <c>customer.traits</c>. Inside an event
/// predicate's <c>where</c>, <c>property</c> reads the counted event in every scope.
/// </summary>
public sealed class PredicateScope
{
    private readonly string _name;

    private PredicateScope(string name, bool allowsProperty, bool allowsRunPaths)
    {
        _name = name;
        AllowsProperty = allowsProperty;
        AllowsRunPaths = allowsRunPaths;
    }

    /// <summary>A segment's <c>where</c>: no event at the top, no run.</summary>
    public static PredicateScope Segment { get; } = new("segment", allowsProperty: false, allowsRunPaths: false);

    /// <summary>The <c>where</c> of an event trigger: the arriving event, no run yet.</summary>
    public static PredicateScope TriggerWhere { get; } = new("trigger where", allowsProperty: true, allowsRunPaths: false);

    /// <summary>The <c>where</c> of a <c>waitEvent</c>, an <c>exitWhen</c> event or the goal: the event, inside a run.</summary>
    public static PredicateScope RunEventWhere { get; } = new("run event where", allowsProperty: true, allowsRunPaths: true);

    /// <summary>A <c>condition</c> node's <c>if</c>: the run's current event, inside a run.</summary>
    public static PredicateScope Condition { get; } = new("condition", allowsProperty: true, allowsRunPaths: true);

    private static readonly PredicateScope SegmentEventWhere = new("segment event where", allowsProperty: true, allowsRunPaths: false);

    /// <summary>Whether <c>property</c> has an event to read here.</summary>
    public bool AllowsProperty { get; }

    /// <summary>Whether <c>{ "path" }</c> values may read <c>trigger.properties</c> and <c>event.properties</c>.</summary>
    public bool AllowsRunPaths { get; }

    /// <summary>The scope of an event predicate's <c>where</c> nested here: its event is the counted one.</summary>
    internal PredicateScope InsideEventWhere => AllowsProperty ? this : SegmentEventWhere;

    public override string ToString() => _name;
}
