using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Predicates;

/// <summary>A customer, their history and a journey run as a test states them; whatever it leaves out is empty.</summary>
internal sealed record Scenario
{
    public Instant EvaluatedAt { get; init; } = Given.Now;

    public JsonObject Traits { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyList<string> Segments { get; init; } = [];

    public Instant? LastSeen { get; init; }

    public string TimeZone { get; init; } = "UTC";

    public RfmClass? Rfm { get; init; }

    public IReadOnlyList<CustomerEvent> History { get; init; } = [];

    public CustomerEvent? Current { get; init; }

    public JsonObject? Trigger { get; init; }

    public JsonObject? RunEvent { get; init; }

    public EvaluationFacts Facts => new(
        EvaluatedAt,
        new CustomerFacts(
            Traits,
            Tags.ToHashSet(StringComparer.Ordinal),
            Segments.ToHashSet(StringComparer.Ordinal),
            LastSeen,
            DateTimeZoneProviders.Tzdb[TimeZone],
            Rfm,
            new EventHistory(History)),
        Current,
        new RunValues(Trigger, RunEvent));

    /// <summary>Whether the predicate written as <paramref name="json"/> holds.</summary>
    public bool Holds(string json) => Holds(Given.Predicate(json));

    public bool Holds(Predicate predicate) => PredicateEvaluator.Evaluate(predicate, Facts);
}
