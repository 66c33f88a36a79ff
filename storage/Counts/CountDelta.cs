using Waymark.Storage.CustomerLog;
using Waymark.Storage.Sql;

namespace Waymark.Storage.Counts;

/// <summary>
/// A change of one counter of one journey version: <see cref="Delta"/> added to <see cref="Counter"/> of version
/// <see cref="Version"/> of journey <see cref="JourneyId"/>. The grain layer names counters (such as
/// <c>node/ten-minutes/entered</c>); the store only adds them up. Totals are kept per UTC hour: the store counts a
/// change in the hour that starts at <see cref="BucketOf"/>(<see cref="At"/>).
/// </summary>
public sealed record CountDelta(string Workspace, string JourneyId, int Version, string Counter, long Delta, DateTimeOffset At)
{
    // The column widths on SQL Server, whose 900-byte key limit the totals' key respects (2 × (64 + 64 + 200) + 4 + 8
    // bytes); every database enforces them. A journey id is [a-z0-9][a-z0-9-]{0,63}; the workspace is a log's.
    public const int MaxJourneyIdLength = 64;
    public const int MaxCounterLength = 200;

    /// <summary>The start of the UTC hour of <paramref name="at"/>, the bucket a change at that time is counted in.</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    /// <summary>Why <paramref name="count"/> cannot be stored, or null when it can.</summary>
    internal static string? Problem(CountDelta? count) =>
        count is null ? "it is null."
        : count.Version < 1 ? $"Version is {count.Version}; versions start at 1."
        : StoredText.Problem(count.Workspace, LogEntry.MaxWorkspaceLength, nameof(Workspace))
            ?? StoredText.Problem(count.JourneyId, MaxJourneyIdLength, nameof(JourneyId))
            ?? StoredText.Problem(count.Counter, MaxCounterLength, nameof(Counter));

    /// <summary>The changes of each counter and hour added up into one, at the start of its hour: fewer rows to
    /// write, and the same totals once flushed. A sum of zero is kept, so the total's row exists as it would have.</summary>
    internal static CountDelta[] Sum(IEnumerable<CountDelta> counts)
    {
        var sums = new Dictionary<(string Workspace, string JourneyId, int Version, string Counter, DateTimeOffset Bucket), long>();
        foreach (var count in counts)
        {
            var key = (count.Workspace, count.JourneyId, count.Version, count.Counter, BucketOf(count.At));
            sums[key] = sums.GetValueOrDefault(key) + count.Delta;
        }

        return [.. sums.Select(sum => new CountDelta(sum.Key.Workspace, sum.Key.JourneyId, sum.Key.Version, sum.Key.Counter, sum.Value, sum.Key.Bucket))];
    }
}
