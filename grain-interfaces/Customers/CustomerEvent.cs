namespace Waymark.GrainInterfaces.Customers;

/// <summary>The Segment call a message came from.</summary>
[GenerateSerializer]
public enum EventKind
{
    Identify = 0,
    Track = 1,
    Page = 2,
    Screen = 3,
    Group = 4,
    Alias = 5,
}

/// <summary>
/// One Segment message, validated and normalized; the JSON members are compact JSON object text (null when absent).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CustomerEvent(
    [property: Id(0)] EventKind Kind,
    [property: Id(1)] string MessageId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] string? AnonymousId,
    [property: Id(4)] string? PreviousId,
    [property: Id(5)] string? Name,
    [property: Id(6)] DateTimeOffset Timestamp,
    [property: Id(7)] DateTimeOffset ReceivedAt,
    [property: Id(8)] string? Properties,
    [property: Id(9)] string? Traits,
    [property: Id(10)] string? GroupId,
    [property: Id(11)] string? Context);
