namespace Waymark.GrainInterfaces.Timers;

/// <summary>
/// One shard of the timer wheel, keyed by its number (0 to <c>Waymark:Timers:Shards</c> - 1). It wakes the targets of
/// the wake-ups its rows of <c>waymark_timers</c> hold once they are due; it holds no grain state.
/// </summary>
public interface ITimerShardGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the shard if it is not active, which registers its reminder and starts its polling. Idempotent.</summary>
    Task Start();
}
