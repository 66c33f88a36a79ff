using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>What may enter a customer into a journey (canvas.md "Triggers"), checked by <see cref="JourneyEntry.Check"/>.</summary>
public abstract record TriggerInput;

/// <summary>An event of the customer, received at <paramref name="ReceivedAt"/>: enters an event-triggered journey.</summary>
public sealed record EventTriggered(CustomerEvent Event, Instant ReceivedAt) : TriggerInput;

/// <summary>The customer entered or left a segment after publication: enters a segment-triggered journey.</summary>
public sealed record SegmentCrossed(string Segment, SegmentTransition Transition) : TriggerInput;

/// <summary>The customer was a member of the segment when the journey was published (<c>includeExisting</c>).</summary>
public sealed record MemberAtPublication(string Segment) : TriggerInput;

/// <summary>A schedule came round and the customer is a member of its segment at that moment.</summary>
public sealed record ScheduleFired(string Segment) : TriggerInput;

/// <summary><c>POST /api/journeys/{id}/enroll</c> named the customer.</summary>
public sealed record ApiEnrolled : TriggerInput;
