using NodaTime;
using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Journeys;

/// <summary>What enters a customer into a journey (canvas.md "Triggers").</summary>
public abstract record Trigger;

/// <summary>Enters the customer when the named event arrives and matches <see cref="Where"/>.</summary>
public sealed record EventTrigger(string Event, Predicate? Where) : Trigger;

/// <summary>Enters the customer when they enter or leave the segment; with <see cref="IncludeExisting"/>, members at publication too.</summary>
public sealed record SegmentTrigger(string Segment, SegmentTransition On, bool IncludeExisting) : Trigger;

/// <summary>Enters every member of the segment at <see cref="At"/>, and again every <see cref="Every"/> after it when given.</summary>
public sealed record ScheduleTrigger(string Segment, Instant At, TimeSpan? Every) : Trigger;

/// <summary>Enters the customers named by <c>POST /api/journeys/{id}/enroll</c>.</summary>
public sealed record ApiTrigger : Trigger;

/// <summary>Which crossing of a segment's boundary a segment trigger reacts to.</summary>
public enum SegmentTransition
{
    Enter,
    Exit,
}
