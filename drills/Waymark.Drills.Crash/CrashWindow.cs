namespace Waymark.Drills.Crash;

/// <summary>
/// One kill: the gateway was sent SIGKILL (its whole process tree) at <see cref="KilledAt"/>, after it had been up for
/// <see cref="Uptime"/> (since it was ready, or since its process started for a kill that came during a start:
/// <see cref="DuringStart"/>); it was gone at <see cref="DeadAt"/> (finding the tree's processes takes a moment on a busy
/// machine, and the process runs until the signal lands) and answered <c>/health/ready</c> again at
/// <see cref="ReadyAt"/>, the start that got there having taken <see cref="Restart"/>. A kill whose restart was itself
/// killed shares its ready time with the next.
/// </summary>
public sealed record CrashWindow(
    int Number, DateTimeOffset KilledAt, DateTimeOffset DeadAt, DateTimeOffset ReadyAt, TimeSpan Uptime, TimeSpan Restart, bool DuringStart)
{
    public TimeSpan Down => ReadyAt - KilledAt;

    /// <summary>Whether the process died between two moments: the earlier one was its work, the later one its successor's.</summary>
    public bool Between(DateTimeOffset earlier, DateTimeOffset later) => earlier < DeadAt && DeadAt < later;
}
