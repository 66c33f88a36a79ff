using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>Who enters a journey, and the run they begin (canvas.md "Triggers", "Entry, exit, goal").</summary>
public static class JourneyEntry
{
    /// <summary>
    /// Whether <paramref name="trigger"/> enters the customer now: the trigger matches (for an event, its name,
    /// the 24 h rule and the where with the event as current event), the journey is active, and reentry and
    /// cooldown allow it. The audience <c>limit</c> is not decided here: ask the cluster-wide counter next.
    /// </summary>
    public static EntryVerdict Check(JourneyDefinition journey, JourneyMode mode, EntryHistory history, TriggerInput trigger, CustomerFacts customer, Instant now)
    {
        if (mode != JourneyMode.Active)
        {
            return EntryVerdict.JourneyNotActive;
        }

        if (TriggerVerdict(journey.Trigger, trigger, customer, now) is { } refused)
        {
            return refused;
        }

        var rules = journey.Entry;
        if (rules.Reentry == Reentry.Never && history.EverEntered)
        {
            return EntryVerdict.AlreadyEntered;
        }

        if (rules.Reentry == Reentry.AfterExit && history.ActiveRuns > 0)
        {
            return EntryVerdict.StillRunning;
        }

        // The cooldown is the least time between two entries: exactly that long after the last one may enter.
        return rules.Cooldown is { } cooldown && history.LastEntryAt is { } last && now < Instants.Shift(last, Duration.FromTimeSpan(cooldown))
            ? EntryVerdict.CoolingDown
            : EntryVerdict.Eligible;
    }

    /// <summary>
    /// The new run of <paramref name="trigger"/> (already found <see cref="EntryVerdict.Eligible"/>), standing at
    /// the start node; advance it with <see cref="Entered"/>.
    /// </summary>
    public static JourneyRun Start(string journeyId, JourneyDefinition journey, int version, string entryId, TriggerInput trigger, Instant now)
    {
        var triggerEvent = (trigger as EventTriggered)?.Event;

        // A copy: the run's values must not change when the caller's event object does.
        var properties = triggerEvent is null ? [] : (JsonObject)triggerEvent.Properties.DeepClone();
        var current = triggerEvent is null ? null : triggerEvent with { Properties = properties };
        return new JourneyRun(journeyId, version, entryId, journey.Start, now, now, properties, current, Due: null, Branch: null, Variant: null, RunHold.None);
    }

    /// <summary>
    /// The run's id, derived from the trigger (an event's message id, an enrolment request, a segment
    /// transition or a schedule occurrence), so a retried trigger gives the same id; short and URL-safe.
    /// </summary>
    public static string EntryId(string customerKey, string journeyId, string triggerId) => StableHash.Id("entry", customerKey, journeyId, triggerId);

    private static EntryVerdict? TriggerVerdict(Trigger expected, TriggerInput trigger, CustomerFacts customer, Instant now) => (expected, trigger) switch
    {
        (EventTrigger t, EventTriggered e) when !string.Equals(t.Event, e.Event.Name, StringComparison.Ordinal) => EntryVerdict.NotTriggered,
        (EventTrigger, EventTriggered e) when EventAge.IsBackfill(e.Event, e.ReceivedAt) => EntryVerdict.Backfill,
        (EventTrigger t, EventTriggered e) => t.Where is null || PredicateEvaluator.Evaluate(t.Where, new EvaluationFacts(now, customer, e.Event, RunValues.None))
            ? null
            : EntryVerdict.NotTriggered,
        (SegmentTrigger t, SegmentCrossed c) => Matches(t.Segment, c.Segment) && t.On == c.Transition ? null : EntryVerdict.NotTriggered,
        (SegmentTrigger t, MemberAtPublication m) => Matches(t.Segment, m.Segment) && t.IncludeExisting ? null : EntryVerdict.NotTriggered,
        (ScheduleTrigger t, ScheduleFired s) => Matches(t.Segment, s.Segment) ? null : EntryVerdict.NotTriggered,
        (ApiTrigger, ApiEnrolled) => null,
        _ => EntryVerdict.NotTriggered,
    };

    private static bool Matches(string expected, string actual) => string.Equals(expected, actual, StringComparison.Ordinal);
}
