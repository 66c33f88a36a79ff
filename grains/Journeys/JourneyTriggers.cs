using Waymark.Definitions.Journeys;
using Waymark.GrainInterfaces.Journeys;

namespace Waymark.Grains.Journeys;

/// <summary>The catalogue's view of a trigger: what the runtime indexes active journeys by.</summary>
public static class JourneyTriggers
{
    public static JourneyTriggerInfo Describe(Trigger trigger) => trigger switch
    {
        EventTrigger e => new JourneyTriggerInfo("event", e.Event, null),
        SegmentTrigger s => new JourneyTriggerInfo("segment", null, s.Segment),
        ScheduleTrigger s => new JourneyTriggerInfo("schedule", null, s.Segment),
        _ => new JourneyTriggerInfo("api", null, null),
    };
}
