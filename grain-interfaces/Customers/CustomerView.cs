using System.Collections.Immutable;

namespace Waymark.GrainInterfaces.Customers;

/// <summary>A customer as <c>GET /api/customers/{id}</c> shows it (api.md §2).</summary>
[GenerateSerializer, Immutable]
public sealed record CustomerView(
    [property: Id(0)] string Key,
    [property: Id(1)] string Id,
    [property: Id(2)] string TraitsJson,
    [property: Id(3)] ImmutableArray<string> Tags,
    [property: Id(4)] string? UserId,
    [property: Id(5)] ImmutableArray<string> AnonymousIds,
    [property: Id(6)] ImmutableDictionary<string, ImmutableArray<string>> Identities,
    [property: Id(7)] DateTimeOffset? FirstSeen,
    [property: Id(8)] DateTimeOffset? LastSeen,
    [property: Id(9)] string? Timezone,
    [property: Id(10)] ImmutableDictionary<string, bool> Subscriptions,
    [property: Id(11)] ImmutableArray<string> MergedFrom,
    [property: Id(12)] string GroupsJson,
    [property: Id(13)] ImmutableArray<ActiveRun> ActiveJourneys,
    [property: Id(14)] ImmutableArray<string> Segments);

/// <summary>A run the customer is in: its journey and version, its entry id, and the node it has stood at since when.</summary>
[GenerateSerializer, Immutable]
public sealed record ActiveRun(
    [property: Id(0)] string Journey,
    [property: Id(1)] int Version,
    [property: Id(2)] string EntryId,
    [property: Id(3)] string Node,
    [property: Id(4)] DateTimeOffset Since);

/// <summary>A page of a customer's timeline, newest first; items are JSON objects as api.md §2 shows them.</summary>
[GenerateSerializer, Immutable]
public sealed record TimelineView(
    [property: Id(0)] ImmutableArray<string> ItemsJson,
    [property: Id(1)] string? Next);
