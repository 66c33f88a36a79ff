using System.Collections.Immutable;
using Waymark.GrainInterfaces.Delivery;
using Waymark.GrainInterfaces.Timers;

namespace Waymark.GrainInterfaces.Customers;

/// <summary>
/// One customer of one workspace, keyed by <see cref="CustomerKeys.Grain"/>. Its profile is the projection
/// of its log; a grain whose customer was merged into another forwards every call to the survivor. It runs
/// its own journey runs; the timer wheel wakes it (<see cref="IWakeUp"/>) when one of them comes due.
/// </summary>
public interface ICustomerGrain : IWakeUp
{
    /// <summary>Applies events, linking and merging identities as they say; durable when the task completes.</summary>
    Task Ingest(ImmutableArray<CustomerEvent> events);

    /// <summary>The profile, or null when nobody by this key is known.</summary>
    Task<CustomerView?> Describe();

    /// <summary>Merges traits as <c>identify</c> does; creates the customer when unknown.</summary>
    Task<CustomerView> PatchTraits(string traitsJson);

    Task<CustomerView> SetTag(string tag, bool present);

    Task<CustomerView> SetSubscriptions(ImmutableDictionary<string, bool> subscriptions);

    /// <summary>An admin's explicit merge of <paramref name="otherCustomerKey"/> into this customer, allowed even when both have a user id.</summary>
    Task<CustomerView> MergeFrom(string otherCustomerKey);

    /// <summary>
    /// Called by the survivor of a merge: this customer becomes a pointer to <paramref name="survivorKey"/>
    /// (durably) and hands over its profile. Idempotent.
    /// </summary>
    Task<Handover> HandOver(string survivorKey, bool force);

    /// <summary>
    /// Called by a customer that merged itself into this one, with its profile and its journeys (runs, entries,
    /// goal windows, unsent messages); idempotent per <paramref name="fromKey"/>.
    /// </summary>
    Task Absorb(string fromKey, string profileJson, string journeysJson);

    /// <summary>Records that an identity trait value is held by another customer with its own user id.</summary>
    Task RecordConflict(string trait, string value, string otherCustomerKey);

    Task<TimelineView> Timeline(string? cursor, int limit);

    /// <summary>Erases the customer, every id merged into it, its identities and its history.</summary>
    Task<bool> Erase();

    /// <summary>Called by the survivor's erase on each merged-away id: forget everything.</summary>
    Task Forget();

    /// <summary>
    /// Enters the customer into the journey's active version (its <c>api</c> trigger), if its entry rules and
    /// audience limit allow; <paramref name="requestId"/> makes a retried request enter once.
    /// </summary>
    Task<EnrollStatus> Enroll(string journeyId, string requestId);

    /// <summary>
    /// Feedback on one of this customer's messages (<see cref="IMessageFeedbackGrain"/>): counted and put on the timeline
    /// the first time of its type for the message; an unsubscribe turns the message's channel off every time.
    /// </summary>
    Task<FeedbackOutcome> RecordFeedback(string messageId, MessageFeedback feedback);

    /// <summary>
    /// Called by the workspace's segment backfill (<see cref="Segments.ISegmentBackfillGrain"/>): brings the customer's
    /// segment memberships up to library <paramref name="generation"/>, quietly (a backfill fires no <c>enter</c>).
    /// Nothing when the customer is already there, merged away or unknown.
    /// </summary>
    Task RefreshSegments(long generation);

    /// <summary>
    /// Called by a journey's broadcast (<see cref="Journeys.IJourneyBroadcastGrain"/>) for a member of
    /// <paramref name="segment"/>: enters the customer into the journey as its trigger says (<paramref name="existingMember"/>:
    /// a member at publication; else the schedule firing), if its entry rules and audience limit allow. A firing
    /// (<paramref name="firingId"/>) enters each customer at most once, however often it is retried.
    /// </summary>
    Task<EnrollStatus> EnrollMember(string journeyId, string segment, string firingId, bool existingMember);
}

/// <summary>The answer to an enrolment (api.md §3 <c>enroll</c>).</summary>
[GenerateSerializer]
public enum EnrollStatus
{
    Enrolled = 0,
    NotEligible = 1,
}

/// <summary>What a customer answered when asked to merge into a survivor.</summary>
[GenerateSerializer, Immutable]
public sealed record Handover(
    [property: Id(0)] HandoverStatus Status,
    [property: Id(1)] string? ProfileJson,
    [property: Id(2)] string? SurvivorKey,
    [property: Id(3)] string? JourneysJson);

[GenerateSerializer]
public enum HandoverStatus
{
    /// <summary>Now a pointer to the survivor; <see cref="Handover.ProfileJson"/> and <see cref="Handover.JourneysJson"/> are what it absorbs.</summary>
    HandedOver = 0,

    /// <summary>Already merged into <see cref="Handover.SurvivorKey"/>, another customer.</summary>
    MergedElsewhere = 1,

    /// <summary>Both customers have a user id: never merged automatically.</summary>
    Conflict = 2,
}
