using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Journeys;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>
/// Plays the customer grain for one run, as the grain is meant to: it starts the run, delivers inputs on a
/// fixed clock, wakes the run exactly at its due time, applies profile updates, and keeps the node counts
/// and the goal watch. Each call returns the decisions of that call.
/// </summary>
internal sealed class RunDriver(JourneyDefinition journey, string customerKey = "u-1", string journeyId = "journey-1")
{
    private readonly List<CustomerEvent> _history = [];

    public JourneyDefinition Journey { get; } = journey;

    public string CustomerKey { get; } = customerKey;

    public string JourneyId { get; } = journeyId;

    public Instant Now { get; set; } = Canvas.T0;

    public JourneyMode Mode { get; set; } = JourneyMode.Active;

    public JsonObject Traits { get; set; } = [];

    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Segments { get; } = new(StringComparer.Ordinal);

    public DateTimeZone TimeZone { get; set; } = DateTimeZone.Utc;

    public Dictionary<string, string> Winners { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, MessageTemplate> StoredTemplates { get; set; } = Canvas.StoredTemplates;

    /// <summary>What the sending rules read; null lets every message through. A capped message sent is added, as the grain records it.</summary>
    public DeliveryFacts? Delivery { get; set; }

    public JourneyRun? Run { get; private set; }

    public GoalWatch? Watch { get; private set; }

    /// <summary>Every decision so far, in order.</summary>
    public List<Decision> Timeline { get; } = [];

    public NodeCounts Counts { get; private set; } = NodeCounts.Empty;

    public CustomerFacts Customer => new(Traits, Tags, Segments, _history.Count == 0 ? null : _history.Max(e => e.Timestamp), TimeZone, null, new EventHistory(_history));

    public StepContext Context => new(Journey, Mode, CustomerKey, Customer, Winners, Now, StoredTemplates, Delivery);

    /// <summary>Starts a run on <paramref name="trigger"/> (a <see cref="EventTriggered"/> when it is an event) and advances it.</summary>
    public IReadOnlyList<Decision> Enter(TriggerInput trigger, string triggerId = "m-1")
    {
        if (trigger is EventTriggered triggered)
        {
            _history.Add(triggered.Event);
        }

        var run = JourneyEntry.Start(JourneyId, Journey, 1, JourneyEntry.EntryId(CustomerKey, JourneyId, triggerId), trigger, Now);
        return Apply(run, new Entered(run));
    }

    /// <summary>Enters on the event <paramref name="name"/> with <paramref name="properties"/>, received now.</summary>
    public IReadOnlyList<Decision> EnterOn(string name, string properties = "{}") => Enter(new EventTriggered(Event(name, properties), Now));

    /// <summary>The event <paramref name="name"/>, stamped <paramref name="timestamp"/> (default now), arrives now.</summary>
    public IReadOnlyList<Decision> Receive(string name, string properties = "{}", Instant? timestamp = null)
    {
        var e = Event(name, properties, timestamp);
        _history.Add(e);
        return Run is null ? [] : Advance(new EventArrived(e, Now));
    }

    /// <summary>Advances the run on <paramref name="input"/> at the current time.</summary>
    public IReadOnlyList<Decision> Advance(StepInput input)
    {
        Assert.NotNull(Run);
        return Apply(Run, input);
    }

    /// <summary>Lets time pass to <paramref name="until"/>, waking the run at each due time on the way, as the timer wheel does.</summary>
    public IReadOnlyList<Decision> PassTo(Instant until)
    {
        var decisions = new List<Decision>();
        while (Run is { Hold: RunHold.None, Due: { } due } && due <= until)
        {
            Assert.True(decisions.Count < 10_000, "the run never stops waking up");
            Now = Instant.Max(Now, due);
            decisions.AddRange(Advance(new WokeUp()));
        }

        Now = Instant.Max(Now, until);
        return decisions;
    }

    public IReadOnlyList<Decision> Pass(Duration duration) => PassTo(Now + duration);

    public CustomerEvent Event(string name, string properties = "{}", Instant? timestamp = null) =>
        new(name, timestamp ?? Now, JsonNode.Parse(properties)!.AsObject());

    private IReadOnlyList<Decision> Apply(JourneyRun run, StepInput input)
    {
        var result = JourneyStep.Advance(run, input, Context);
        Run = result.Run;
        Watch ??= result.GoalWatch;
        Timeline.AddRange(result.Decisions);
        Counts = Counts.Plus(NodeCounts.Of(result));
        foreach (var send in result.Decisions.OfType<SendMessage>().Where(s => Delivery is not null && SendingRules.CountsTowardCap(s.Channel, s.Category)))
        {
            Delivery = Delivery!.WithSend(Now);
        }

        foreach (var update in result.Decisions.OfType<UpdateProfile>())
        {
            foreach (var (trait, value) in update.SetTraits)
            {
                Traits[trait] = value?.DeepClone();
            }

            Tags.UnionWith(update.AddTags);
            Tags.ExceptWith(update.RemoveTags);
        }

        return result.Decisions;
    }
}
