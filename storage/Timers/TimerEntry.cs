using Waymark.Storage.Sql;

namespace Waymark.Storage.Timers;

/// <summary>
/// One wake-up of the timer wheel (<c>waymark_timers</c>): once <see cref="Due"/> has passed, the wheel's shard
/// <see cref="Shard"/> wakes the grain named by <see cref="Target"/>, telling it <see cref="Tag"/> (what the wake-up
/// is for, such as a run's log entry). The four fields are the key, so scheduling one wake-up twice stores it once.
/// <see cref="Due"/> is stored to the microsecond in UTC, like a log entry's time: finer ticks are dropped and the
/// offset comes back as zero.
/// </summary>
public sealed record TimerEntry(int Shard, DateTimeOffset Due, string Target, string Tag)
{
    /// <summary>The stamp of the stored row, not part of the key: 0 when the key is first scheduled, one more each
    /// time it is scheduled again while its row exists. <see cref="ITimerStore.DueAsync"/> returns the generation it
    /// read, and <see cref="ITimerStore.RemoveAsync"/> deletes a row only while it still has that generation, so a
    /// wake-up scheduled again after the read survives the removal of the one that was delivered. Ignored when
    /// scheduling; an entry built rather than read has 0, the generation of a row never scheduled again.</summary>
    public long Generation { get; init; }

    /// <summary>The shard column is a small integer on every database.</summary>
    public const int MaxShard = short.MaxValue;

    // The column widths on SQL Server, whose 900-byte key limit they respect (2 + 8 + 2 × (340 + 100) bytes); every
    // database enforces them. A customer grain's id, "customer/" and a customer grain key, is at most 330 characters.
    public const int MaxTargetLength = 340;
    public const int MaxTagLength = 100;

    /// <summary>Why <paramref name="timer"/> cannot be stored, or null when it can.</summary>
    internal static string? Problem(TimerEntry? timer) =>
        timer is null ? "it is null."
        : timer.Shard is < 0 or > MaxShard ? $"Shard is {timer.Shard}; shards are 0 to {MaxShard}."
        : StoredText.Problem(timer.Target, MaxTargetLength, nameof(Target))
            ?? StoredText.Problem(timer.Tag, MaxTagLength, nameof(Tag));
}
