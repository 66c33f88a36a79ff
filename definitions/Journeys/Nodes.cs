using Waymark.Definitions.Predicates;
using Waymark.Definitions.Templates;

namespace Waymark.Definitions.Journeys;

/// <summary>One step of a journey (canvas.md "Nodes"); <see cref="Edges"/> are its ways out.</summary>
public abstract record JourneyNode(string Id)
{
    /// <summary>The nodes a run can move to from here, each with its label; empty for an exit.</summary>
    public abstract IReadOnlyList<Edge> Edges { get; }
}

/// <summary>Holds the run until <see cref="Time"/> comes, then moves to <see cref="Next"/>.</summary>
public sealed record WaitNode(string Id, WaitTime Time, string Next) : JourneyNode(Id)
{
    public override IReadOnlyList<Edge> Edges => [new(Edge.Next, Next)];
}

/// <summary>Moves to <see cref="Next"/> when a matching event arrives, else to <see cref="TimeoutNext"/> after <see cref="Timeout"/>.</summary>
public sealed record WaitEventNode(string Id, string Event, Predicate? Where, TimeSpan Timeout, string Next, string TimeoutNext)
    : JourneyNode(Id)
{
    public override IReadOnlyList<Edge> Edges => [new(Edge.Next, Next), new(Edge.TimeoutNext, TimeoutNext)];
}

/// <summary>Moves to <see cref="Then"/> when <see cref="If"/> holds on arrival, else to <see cref="Else"/>.</summary>
public sealed record ConditionNode(string Id, Predicate If, string Then, string Else) : JourneyNode(Id)
{
    public override IReadOnlyList<Edge> Edges => [new(Edge.Then, Then), new(Edge.Else, Else)];
}

/// <summary>Sends each customer down one branch, chosen by weight, at random but stable per customer and journey.</summary>
public sealed record SplitNode(string Id, IReadOnlyList<SplitBranch> Branches) : JourneyNode(Id)
{
    /// <summary>The branch named this is the control group that lift is measured against.</summary>
    public const string ControlBranch = "control";

    public override IReadOnlyList<Edge> Edges => [.. Branches.Select(b => new Edge(b.Name, b.Next))];
}

/// <summary>One branch of a split: its name, its weight out of 100, and where it leads.</summary>
public sealed record SplitBranch(string Name, int Weight, string Next);

/// <summary>Sends one message on <see cref="Channel"/>, then moves to <see cref="Next"/>.</summary>
public sealed record SendNode(string Id, Channel Channel, MessageCategory Category, MessageContent Content, string Next)
    : JourneyNode(Id)
{
    public override IReadOnlyList<Edge> Edges => [new(Edge.Next, Next)];
}

/// <summary>Changes the customer's profile, then moves to <see cref="Next"/>.</summary>
/// <param name="SetTraits">Traits to set, by name.</param>
public sealed record UpdateNode(
    string Id,
    IReadOnlyDictionary<string, TraitValue> SetTraits,
    IReadOnlyList<string> AddTags,
    IReadOnlyList<string> RemoveTags,
    string Next) : JourneyNode(Id)
{
    public override IReadOnlyList<Edge> Edges => [new(Edge.Next, Next)];
}

/// <summary>Ends the run.</summary>
public sealed record ExitNode(string Id) : JourneyNode(Id)
{
    public override IReadOnlyList<Edge> Edges => [];
}
