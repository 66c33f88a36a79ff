using Waymark.Storage.Timers;

namespace Waymark.Grains.Timers;

/// <summary>The timer wheel's rows for wake-ups of grains: what a grain hands to the customer log's append, beside
/// the entry that says why it waits.</summary>
public static class WakeUps
{
    /// <summary>A wake-up of <paramref name="target"/> once <paramref name="due"/> has passed, for
    /// <paramref name="tag"/>, in the shard that <paramref name="target"/>'s id hashes to.</summary>
    public static TimerEntry Entry(GrainId target, DateTimeOffset due, string tag, int shardCount)
    {
        var text = target.ToString();
        return new TimerEntry(TimerShards.Of(text, shardCount), due, text, tag);
    }
}
