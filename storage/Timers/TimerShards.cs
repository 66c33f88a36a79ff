using System.Text;

namespace Waymark.Storage.Timers;

/// <summary>
/// Which shard of the timer wheel holds a target's wake-ups. The hash is fixed by this code, not by the runtime
/// (<see cref="string.GetHashCode()"/> differs per process), so every process and version puts a target in the same
/// shard, and the same wake-up scheduled twice meets its first copy under the table's key instead of landing in
/// another shard and firing twice.
/// </summary>
public static class TimerShards
{
    /// <summary>The shard, from 0 to <paramref name="shardCount"/> - 1, of <paramref name="target"/>.</summary>
    public static int Of(string target, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shardCount, TimerEntry.MaxShard + 1);

        // 32-bit FNV-1a over the UTF-8 bytes, then MurmurHash3's finalizer: FNV's low bits depend only on the low bits
        // of the input bytes, and the modulo below reads mostly the low bits.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(target))
        {
            hash = (hash ^ b) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return (int)(hash % (uint)shardCount);
    }
}
