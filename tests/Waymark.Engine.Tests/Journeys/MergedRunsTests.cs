using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;

namespace Waymark.Engine.Tests.Journeys;

public sealed class MergedRunsTests
{
    private static JourneyRun Run(string journeyId, string entryId, Instant enteredAt, string node = "wait") =>
        new(journeyId, 1, entryId, node, enteredAt, enteredAt, [], null, null, null, null, RunHold.None);

    [Theory]
    [InlineData(Reentry.Never)]
    [InlineData(Reentry.AfterExit)]
    public void Of_two_runs_of_a_once_at_a_time_journey_the_older_goes_on_and_the_younger_ends_merged(Reentry reentry)
    {
        var older = Run("welcome", "e-2", T0, node: "remind");
        var younger = Run("welcome", "e-1", T0 + Duration.FromMinutes(1), node: "wait");

        var ended = MergedRuns.Ended([younger, older], _ => reentry);

        var (run, exit) = Assert.Single(ended);
        Assert.Same(younger, run);
        Assert.Equal(new Exited("wait", ExitReasons.Merged), exit);
    }

    [Fact]
    public void Runs_of_an_always_journey_all_go_on()
    {
        Assert.Empty(MergedRuns.Ended([Run("orders", "e-1", T0), Run("orders", "e-2", T0), Run("orders", "e-3", T0)], _ => Reentry.Always));
    }

    [Fact]
    public void Runs_of_different_journeys_do_not_meet_and_runs_entered_at_once_keep_the_lower_entry_id()
    {
        var ended = MergedRuns.Ended(
            [Run("a", "e-9", T0), Run("b", "e-5", T0), Run("a", "e-1", T0), Run("c", "e-7", T0)],
            _ => Reentry.Never);

        Assert.Equal(["e-9"], ended.Select(e => e.Run.EntryId));
    }

    [Fact]
    public void A_run_whose_definition_is_gone_is_never_ended_by_a_merge()
    {
        Assert.Empty(MergedRuns.Ended([Run("gone", "e-1", T0), Run("gone", "e-2", T0 + Duration.FromDays(1))], _ => null));
    }

    [Fact]
    public void The_oldest_runs_version_decides()
    {
        var older = Run("welcome", "e-1", T0) with { Version = 1 };
        var younger = Run("welcome", "e-2", T0 + Duration.FromHours(1)) with { Version = 2 };

        Assert.Empty(MergedRuns.Ended([older, younger], run => run.Version == 1 ? Reentry.Always : Reentry.Never));
        Assert.Single(MergedRuns.Ended([older, younger], run => run.Version == 1 ? Reentry.Never : Reentry.Always));
    }
}
