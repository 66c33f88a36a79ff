using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>One thing a step decided; each is also an item of the customer's timeline (api.md §2).</summary>
public abstract record Decision;

/// <summary>The run began at <paramref name="Node"/>, the start (timeline kind <c>entered</c>).</summary>
public sealed record RunEntered(string Node) : Decision;

/// <summary>The run left <paramref name="From"/> for <paramref name="To"/>; <paramref name="Reason"/> is one of <see cref="MoveReasons"/>.</summary>
public sealed record Moved(string From, string To, string Reason) : Decision;

/// <summary>The run waits at <paramref name="Node"/>: until <paramref name="Due"/> (the grain schedules a wake-up), and for <paramref name="ForEvent"/> at a waitEvent.</summary>
public sealed record Waiting(string Node, Instant? Due, string? ForEvent) : Decision;

/// <summary>
/// Send one message with the id <paramref name="MessageId"/>; the sending rules (<see cref="SendingRules"/>) let it
/// through. <paramref name="Variant"/> names the variant sent, if the node
/// has variants; <paramref name="CurrentEvent"/> is the run's current event at the send, which the template's
/// <c>event.*</c> variables read (a later move in the same step may change the run's).
/// </summary>
public sealed record SendMessage(
    string Node,
    string MessageId,
    Channel Channel,
    MessageCategory Category,
    string? Variant,
    MessageTemplate Template,
    CustomerEvent? CurrentEvent) : Decision;

/// <summary>
/// A sending rule held the message of <paramref name="Node"/> back for <paramref name="Reason"/> (one of
/// <see cref="SuppressionReasons"/> but quiet hours): nothing is sent, and the run moves on to the node's next.
/// <paramref name="MessageId"/> is the id the message would have had, used up like a sent one's.
/// </summary>
public sealed record MessageSuppressed(string Node, string MessageId, Channel Channel, MessageCategory Category, string Reason) : Decision;

/// <summary>
/// Quiet hours: the message of <paramref name="Node"/> waits until <paramref name="Until"/> (a <see cref="Waiting"/> at the
/// node follows), when the rules run again; if it is sent then, it is sent with <paramref name="MessageId"/>.
/// </summary>
public sealed record MessageDeferred(string Node, string MessageId, Channel Channel, MessageCategory Category, Instant Until) : Decision;

/// <summary>Change the profile: set these traits (a new object per step, the grain's to keep), add and remove these tags.</summary>
public sealed record UpdateProfile(string Node, JsonObject SetTraits, IReadOnlyList<string> AddTags, IReadOnlyList<string> RemoveTags) : Decision;

/// <summary>The run ended at <paramref name="Node"/>; <paramref name="Reason"/> is one of <see cref="ExitReasons"/>.</summary>
public sealed record Exited(string Node, string Reason) : Decision;

/// <summary>The run converted, credited to its last split branch and message variant.</summary>
public sealed record GoalReached(string Node, string? Branch, string? Variant) : Decision;

/// <summary>The run is held at <paramref name="Node"/> (paused, or waiting for an experiment's winner).</summary>
public sealed record Held(string Node, RunHold Why) : Decision;
