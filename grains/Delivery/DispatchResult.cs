namespace Waymark.Grains.Delivery;

/// <summary>What became of a message a channel was given.</summary>
public enum DispatchStatus
{
    /// <summary>Delivered, now or by an earlier dispatch of the same id: the runtime records it and never sends it again.</summary>
    Sent,

    /// <summary>The receiver could not take it now (unavailable, timed out, asked to wait): dispatch the same message again later.</summary>
    Retry,

    /// <summary>It can never be delivered: the message fails at once.</summary>
    Failed,
}

/// <summary>A channel's answer for one message; <see cref="Reason"/> says why it was not sent.</summary>
/// <param name="RetryAfter">How long the receiver asked to wait (HTTP <c>Retry-After</c>), when it did.</param>
public sealed record DispatchResult(DispatchStatus Status, string? Reason = null, TimeSpan? RetryAfter = null)
{
    public static DispatchResult Sent { get; } = new(DispatchStatus.Sent);

    public static DispatchResult Retry(string reason, TimeSpan? after = null) => new(DispatchStatus.Retry, reason, after);

    public static DispatchResult Failed(string reason) => new(DispatchStatus.Failed, reason);
}
