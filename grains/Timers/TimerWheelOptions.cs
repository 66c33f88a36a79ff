using System.ComponentModel.DataAnnotations;

namespace Waymark.Grains.Timers;

/// <summary>Section <c>Waymark:Timers</c>: the shape of the timer wheel.</summary>
public sealed class TimerWheelOptions
{
    public const string Section = "Waymark:Timers";

    /// <summary>
    /// Shard grains polling <c>waymark_timers</c>, each with one reminder: more shards poll and wake in parallel.
    /// Raising it is safe. Lowering it is not supported: rows of the shards above the new count are then polled only
    /// while those shards' reminders, which nothing unregisters, keep them running.
    /// </summary>
    [Range(1, 1024)]
    public int Shards { get; set; } = 8;

    /// <summary>How often an active shard reads its due wake-ups (a real-time grain timer): under capacity a wake-up
    /// fires about this long, plus one query and one call, after it is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
