using Waymark.GrainInterfaces.Timers;

namespace Waymark.Bench.Timers;

/// <summary>The load's wake-up target: it only records how late it was woken.</summary>
[GrainType(Type)]
internal sealed class BenchWakeUpGrain(LatenessRecorder recorder) : Grain, IWakeUp
{
    public const string Type = "bench-wakeup";

    public static GrainId Id(int target) => GrainId.Create(Type, $"t{target}");

    public Task WakeUp(DateTimeOffset due, string tag)
    {
        recorder.Record(tag, DateTimeOffset.UtcNow - due);
        return Task.CompletedTask;
    }
}

/// <summary>The lateness of every wake-up of the load under way, whose tags are <c>{load}:{n}</c>; wake-ups of
/// another load are ignored.</summary>
internal sealed class LatenessRecorder
{
    private readonly Lock gate = new();
    private List<double> milliseconds = [];
    private string tagPrefix = "";
    private DateTimeOffset lastAt;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return milliseconds.Count;
            }
        }
    }

    public void Start(string load)
    {
        lock (gate)
        {
            (tagPrefix, milliseconds, lastAt) = (load + ":", [], default);
        }
    }

    public void Record(string tag, TimeSpan lateness)
    {
        var now = DateTimeOffset.UtcNow;
        lock (gate)
        {
            if (tag.StartsWith(tagPrefix, StringComparison.Ordinal))
            {
                milliseconds.Add(lateness.TotalMilliseconds);
                lastAt = now;
            }
        }
    }

    /// <summary>The lateness of each wake-up, and when the last one came.</summary>
    public (List<double> Milliseconds, DateTimeOffset LastAt) Take()
    {
        lock (gate)
        {
            return ([.. milliseconds], lastAt);
        }
    }
}
