namespace Waymark.Storage.CustomerLog;

/// <summary>
/// One entry of a customer's log. <see cref="Seq"/> numbers the entries of one (workspace, customer key) from 1,
/// and the customer's grain owns that numbering. <see cref="Kind"/> is a short lowercase word (<c>event</c>,
/// <c>profile</c>, <c>merged_from</c>, ...); <see cref="Name"/> is the event's name for an <c>event</c>, the
/// message id for a <c>message</c>; <see cref="Payload"/> is JSON text. Times are stored to the microsecond in UTC:
/// finer ticks are dropped and the offset comes back as zero (the instant is the same).
/// </summary>
public sealed record LogEntry(
    string Workspace,
    string CustomerKey,
    long Seq,
    string Kind,
    DateTimeOffset At,
    DateTimeOffset RecordedAt,
    string? Name,
    string Payload)
{
    /// <summary>The kind of a customer's events, the entries that window predicates count.</summary>
    public const string EventKind = "event";

    /// <summary>The kind of what became of a sent message (sent, failed, suppressed, then delivery feedback). Its
    /// entries carry the message id in <see cref="Name"/> and are found by it
    /// (<see cref="ICustomerLog.ReadMessageAsync"/>).</summary>
    public const string MessageKind = "message";

    // The column widths on SQL Server; every database enforces them, so a log moves between databases intact.
    public const int MaxWorkspaceLength = 64;
    public const int MaxCustomerKeyLength = 256;
    public const int MaxKindLength = 32;
    public const int MaxNameLength = 256;
}
