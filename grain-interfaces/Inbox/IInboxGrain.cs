using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Waymark.GrainInterfaces.Inbox;

/// <summary>
/// One app user's in-app inbox (api.md §5), keyed <c>{workspace}/{inboxId}</c> (<see cref="InboxKeys"/>).
/// It keeps the newest <see cref="InboxKeys.Capacity"/> messages by sent time; older ones drop.
/// </summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds the message; false when the inbox already has its id (a redelivery), which changes nothing.
    /// A full inbox does not keep a message older than every one it holds: it would be the first to drop.
    /// </summary>
    Task<bool> Deliver(InboxMessage message);

    /// <summary>The messages, newest first.</summary>
    [ReadOnly]
    Task<ImmutableArray<InboxItem>> List();

    /// <summary>False when the inbox holds no message with that id.</summary>
    Task<bool> MarkRead(string messageId);
}

/// <summary>How inboxes are addressed, and how many messages each keeps.</summary>
public static class InboxKeys
{
    /// <summary>The most messages an inbox keeps; the oldest drop first.</summary>
    public const int Capacity = 200;

    /// <summary>
    /// The inbox of the id the customer's app knows: its user id, or its anonymous id before it has one.
    /// Workspace ids never contain '/'.
    /// </summary>
    public static string Grain(string workspace, string inboxId) => workspace + "/" + inboxId;
}

/// <summary>An in-app message as the inbox shows it: the rendered <c>inapp</c> template fields (canvas.md "Templates").</summary>
[GenerateSerializer, Immutable]
public sealed record InboxMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? Body,
    [property: Id(3)] string? Url,
    [property: Id(4)] string? Image,
    [property: Id(5)] DateTimeOffset SentAt);

/// <summary>A message in an inbox and whether its user has read it.</summary>
[GenerateSerializer, Immutable]
public sealed record InboxItem([property: Id(0)] InboxMessage Message, [property: Id(1)] bool Read);
