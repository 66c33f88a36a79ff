using NodaTime;
using NodaTime.Text;
using Waymark.Engine.Journeys;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>Decisions as one line of text each, so a test states a run's timeline the way a reader checks it.</summary>
internal static class Narration
{
    public static string[] Tell(IEnumerable<Decision> decisions) => [.. decisions.Select(Tell)];

    public static string Tell(Decision decision) => decision switch
    {
        RunEntered e => $"entered {e.Node}",
        Moved m => $"moved {m.From} → {m.To} ({m.Reason})",
        Waiting { ForEvent: null } w => $"waiting at {w.Node} until {At(w.Due)}",
        Waiting w => $"waiting at {w.Node} for {w.ForEvent} until {At(w.Due)}",
        SendMessage s => $"send {s.Node} ({Lower(s.Channel)}, {Lower(s.Category)})" + (s.Variant is null ? "" : $" variant {s.Variant}"),
        MessageSuppressed s => $"suppressed {s.Node} ({Lower(s.Channel)}, {Lower(s.Category)}): {s.Reason}",
        MessageDeferred d => $"deferred {d.Node} ({Lower(d.Channel)}, {Lower(d.Category)}) until {At(d.Until)}",
        UpdateProfile u => $"update {u.Node} set {u.SetTraits.ToJsonString()} add [{string.Join(", ", u.AddTags)}] remove [{string.Join(", ", u.RemoveTags)}]",
        Exited x => $"exited {x.Node} ({x.Reason})",
        GoalReached g => $"goal at {g.Node}" + (g.Branch is null ? "" : $" branch {g.Branch}") + (g.Variant is null ? "" : $" variant {g.Variant}"),
        Held h => $"held at {h.Node} ({Lower(h.Why)})",
        _ => decision.ToString()!,
    };

    public static string At(Instant? instant) => instant is { } at ? InstantPattern.ExtendedIso.Format(at) : "never";

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
