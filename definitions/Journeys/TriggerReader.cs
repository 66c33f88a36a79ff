using NodaTime.Text;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>Reads a journey's <c>trigger</c> (canvas.md "Triggers").</summary>
internal static class TriggerReader
{
    private static readonly string[] Types = ["event", "segment", "schedule", "api"];

    private static readonly Dictionary<string, SegmentTransition> Transitions = new(StringComparer.Ordinal)
    {
        ["enter"] = SegmentTransition.Enter,
        ["exit"] = SegmentTransition.Exit,
    };

    // Shorter repeats would enter a segment's members faster than the runtime can schedule them.
    private static readonly TimeSpan ShortestRepeat = TimeSpan.FromMinutes(1);

    public static Trigger? Read(ObjectReader trigger, DefinitionContext context)
    {
        var type = trigger.OneOf("type", Types, required: true);
        Trigger? read = type switch
        {
            "event" => ReadEvent(trigger, context),
            "segment" => ReadSegment(trigger, context),
            "schedule" => ReadSchedule(trigger, context),
            "api" => new ApiTrigger(),
            _ => null,
        };

        // Which fields are known depends on the type, so an unknown type is the only problem named.
        if (type is not null)
        {
            trigger.RejectUnknownFields();
        }

        return read;
    }

    private static EventTrigger? ReadEvent(ObjectReader trigger, DefinitionContext context)
    {
        var eventName = trigger.Text("event", required: true);
        var where = trigger.Field("where") is { } value
            ? PredicateReader.ReadScanned(value, trigger.PathOf("where"), PredicateScope.TriggerWhere, context, trigger.Problems)
            : null;
        return eventName is null ? null : new EventTrigger(eventName, where);
    }

    private static SegmentTrigger? ReadSegment(ObjectReader trigger, DefinitionContext context)
    {
        var segment = KnownSegment.Read(trigger, "segment", context);
        var on = trigger.OneOf("on", Transitions.Keys, required: true);
        var includeExisting = trigger.Flag("includeExisting") ?? false;
        return segment is null || on is null ? null : new SegmentTrigger(segment, Transitions[on], includeExisting);
    }

    private static ScheduleTrigger? ReadSchedule(ObjectReader trigger, DefinitionContext context)
    {
        var segment = KnownSegment.Read(trigger, "segment", context);
        var at = trigger.Timestamp("at", required: true);
        var every = trigger.Duration("every");
        if (every < ShortestRepeat)
        {
            trigger.Problems.Add(trigger.PathOf("every"), "must be at least one minute ('PT1M')");
        }

        // A repeating schedule's 'at' is its first occurrence, which may have passed; a one-time one must lie ahead.
        if (at < context.Now && !trigger.Has("every"))
        {
            trigger.Problems.Add(
                trigger.PathOf("at"),
                $"is in the past (it is now {InstantPattern.ExtendedIso.Format(context.Now)}): a one-time schedule would never run; give a later time or an 'every'");
        }

        return segment is null || at is null ? null : new ScheduleTrigger(segment, at.Value, every);
    }
}
