using System.Collections.Concurrent;
using Waymark.GrainInterfaces.Timers;
using Waymark.Model.Time;

namespace Waymark.Hosting.Tests;

/// <summary>A target of the timer wheel that records each wake-up in the silo's <see cref="WakeUpRecorder"/>, and
/// throws when the recorder says so. Its grain type is named, so tests write its id without guessing a convention.</summary>
[GrainType(Type)]
public sealed class WakeUpProbeGrain(WakeUpRecorder recorder, WaymarkClock clock) : Grain, IWakeUp
{
    public const string Type = "wakeup-probe";

    public static GrainId Id(string key) => GrainId.Create(Type, key);

    public Task WakeUp(DateTimeOffset due, string tag) =>
        recorder.Record(this.GetPrimaryKeyString(), due, tag, clock.GetUtcNow())
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Probe {this.GetPrimaryKeyString()} was told to fail.");
}

/// <summary>One wake-up a probe took: <see cref="Sequence"/> numbers them in the order they arrived in the silo.</summary>
public sealed record RecordedWakeUp(string Key, DateTimeOffset Due, string Tag, DateTimeOffset At, long Sequence);

/// <summary>Every wake-up the probes of one silo took, and how many more times a probe is to fail.</summary>
public sealed class WakeUpRecorder
{
    private readonly ConcurrentQueue<RecordedWakeUp> woken = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();
    private readonly ConcurrentDictionary<string, int> failuresLeft = new();
    private long sequence;

    /// <summary>The successful wake-ups, in arrival order.</summary>
    public IReadOnlyList<RecordedWakeUp> Woken => [.. woken.OrderBy(w => w.Sequence)];

    public int Attempts(string key) => attempts.GetValueOrDefault(key);

    public void FailNext(string key, int times) => failuresLeft[key] = times;

    /// <summary>Counts the attempt; false when the probe is to fail it instead of taking it.</summary>
    public bool Record(string key, DateTimeOffset due, string tag, DateTimeOffset at)
    {
        attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (failuresLeft.TryGetValue(key, out var left) && left > 0)
        {
            failuresLeft[key] = left - 1;
            return false;
        }

        woken.Enqueue(new RecordedWakeUp(key, due, tag, at, Interlocked.Increment(ref sequence)));
        return true;
    }
}
