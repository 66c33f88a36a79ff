using NodaTime;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Segments;

/// <summary>
/// The earliest of candidate instants strictly after <see cref="Now"/>: where a result computed at now may stop
/// holding with no new data.
/// </summary>
internal sealed class ChangeTimes(Instant now)
{
    public Instant Now { get; } = now;

    /// <summary>The earliest candidate after now; null when none was.</summary>
    public Instant? Next { get; private set; }

    public void Add(Instant candidate)
    {
        if (candidate > Now && (Next is not { } next || candidate < next))
        {
            Next = candidate;
        }
    }

    /// <summary>The instant right after <paramref name="instant"/>: where a bound that still holds at it stops holding.</summary>
    public void AddAfter(Instant instant)
    {
        if (instant < Instant.MaxValue)
        {
            Add(instant + Duration.Epsilon);
        }
    }

    /// <summary>
    /// An event at <paramref name="at"/> counted over <paramref name="within"/> (null: all history, which the
    /// evaluator does not cap, so it never leaves): the window is [now − within, now], so it enters at
    /// <paramref name="at"/> and leaves right after at + within.
    /// </summary>
    public void AddWindow(Instant at, TimeSpan? within)
    {
        Add(at);
        if (within is { } span)
        {
            AddAfter(Instants.Shift(at, Duration.FromTimeSpan(span)));
        }
    }
}
