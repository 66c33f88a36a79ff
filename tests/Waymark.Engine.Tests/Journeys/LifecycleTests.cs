using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class LifecycleTests
{
    // An hour's wait, a push, then a day for a click; cancelling ends the run.
    private static readonly JourneyDefinition Journey = Of(
        "hour",
        """
        [ { "id": "hour", "type": "wait", "duration": "PT1H", "next": "push" },
          { "id": "push", "type": "send", "channel": "push", "template": { "title": "Hi", "body": "…" }, "next": "clicked" },
          { "id": "clicked", "type": "waitEvent", "event": "click", "timeout": "P1D", "next": "thanks", "timeoutNext": "done" },
          { "id": "thanks", "type": "send", "channel": "inapp", "template": { "title": "Thanks", "body": "…" }, "next": "done" },
          { "id": "done", "type": "exit" } ]
        """,
        exitWhen: """[ { "event": "cancelled" } ]""");

    private readonly RunDriver _customer = new(Journey);

    [Fact]
    public void Paused_a_run_whose_wait_comes_due_is_held_at_its_node_and_keeps_its_due_time()
    {
        _customer.EnterOn("go");
        _customer.Mode = JourneyMode.Paused;

        Assert.Equal(["held at hour (paused)"], Tell(_customer.Pass(Duration.FromHours(1))));
        Assert.Equal(("hour", RunHold.Paused, (Instant?)(T0 + Duration.FromHours(1))), (_customer.Run!.Node, _customer.Run.Hold, _customer.Run.Due));
        Assert.Empty(_customer.Advance(new WokeUp()));
        Assert.DoesNotContain(_customer.Timeline, d => d is SendMessage);
    }

    [Fact]
    public void Resume_continues_a_held_run_where_it_was()
    {
        _customer.EnterOn("go");
        _customer.Mode = JourneyMode.Paused;
        _customer.Pass(Duration.FromHours(5));
        _customer.Mode = JourneyMode.Active;

        Assert.Equal(
            ["moved hour → push (next)", "send push (push, marketing)", "moved push → clicked (next)", "waiting at clicked for click until 2027-05-21T17:00:00Z"],
            Tell(_customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void Pausing_changes_nothing_until_a_step_comes_due_and_resuming_early_changes_nothing_either()
    {
        _customer.EnterOn("go");

        Assert.Empty(_customer.Advance(new JourneyChanged(JourneyMode.Paused)));
        _customer.Mode = JourneyMode.Paused;
        _customer.Pass(Duration.FromMinutes(30));
        _customer.Mode = JourneyMode.Active;
        Assert.Empty(_customer.Advance(new JourneyChanged(JourneyMode.Active)));
        Assert.Contains("send push (push, marketing)", Tell(_customer.Pass(Duration.FromMinutes(30))));
    }

    [Fact]
    public void The_resume_input_alone_resumes_even_with_a_context_still_built_paused()
    {
        _customer.EnterOn("go");
        _customer.Mode = JourneyMode.Paused;
        _customer.Pass(Duration.FromHours(2));

        Assert.Contains("send push (push, marketing)", Tell(_customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void Paused_a_wait_event_whose_timeout_came_first_ignores_the_awaited_event_and_times_out_on_resume()
    {
        _customer.EnterOn("go");
        _customer.Pass(Duration.FromHours(1));
        _customer.Mode = JourneyMode.Paused;

        Assert.Equal(["held at clicked (paused)"], Tell(_customer.Pass(Duration.FromDays(1))));
        Assert.Empty(_customer.Receive("click"));
        _customer.Mode = JourneyMode.Active;
        Assert.Equal(["moved clicked → done (timeout)", "exited done (exit_node)"], Tell(_customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void Paused_the_awaited_event_still_moves_the_run_which_is_then_held_before_its_send()
    {
        _customer.EnterOn("go");
        _customer.Pass(Duration.FromHours(1));
        _customer.Mode = JourneyMode.Paused;

        Assert.Equal(["moved clicked → thanks (event)", "held at thanks (paused)"], Tell(_customer.Receive("click")));
        Assert.Equal(_customer.Now, _customer.Run?.Due);
        _customer.Pass(Duration.FromDays(3));
        _customer.Mode = JourneyMode.Active;
        Assert.Equal(
            ["send thanks (inapp, marketing)", "moved thanks → done (next)", "exited done (exit_node)"],
            Tell(_customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void Pausing_holds_a_run_whose_step_is_already_due_but_not_yet_woken()
    {
        _customer.EnterOn("go");
        _customer.Now = T0 + Duration.FromHours(2);

        Assert.Equal(["held at hour (paused)"], Tell(_customer.Advance(new JourneyChanged(JourneyMode.Paused))));
    }

    [Fact]
    public void Paused_exit_when_still_ends_runs()
    {
        _customer.EnterOn("go");
        _customer.Mode = JourneyMode.Paused;
        _customer.Pass(Duration.FromHours(2));

        Assert.Equal(["exited hour (exit_criterion)"], Tell(_customer.Receive("cancelled")));
    }

    [Fact]
    public void Paused_a_run_entered_in_a_race_with_the_pause_is_held_before_it_sends()
    {
        var customer = new RunDriver(Of("push", """
            [ { "id": "push", "type": "send", "channel": "push", "template": { "title": "Hi", "body": "…" }, "next": "done" }, { "id": "done", "type": "exit" } ]
            """))
        { Mode = JourneyMode.Paused };

        Assert.Equal(["entered push", "held at push (paused)"], Tell(customer.EnterOn("go")));
        customer.Mode = JourneyMode.Active;
        Assert.Contains("send push (push, marketing)", Tell(customer.Advance(new WokeUp())));
    }

    [Fact]
    public void Paused_a_wait_reached_with_its_time_already_past_is_held()
    {
        var customer = new RunDriver(Of("w", """
            [ { "id": "w", "type": "wait", "until": "2020-01-01T00:00:00Z", "next": "done" }, { "id": "done", "type": "exit" } ]
            """))
        { Mode = JourneyMode.Paused };

        Assert.Equal(["entered w", "held at w (paused)"], Tell(customer.EnterOn("go")));
        customer.Mode = JourneyMode.Active;
        Assert.Equal(["moved w → done (next)", "exited done (exit_node)"], Tell(customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void Resume_takes_a_step_that_came_due_but_was_never_woken()
    {
        _customer.EnterOn("go");
        _customer.Now = T0 + Duration.FromHours(3);

        Assert.Contains("send push (push, marketing)", Tell(_customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void Paused_journeys_enter_no_one()
    {
        var go = new EventTriggered(_customer.Event("go"), T0);

        Assert.Equal(EntryVerdict.JourneyNotActive, JourneyEntry.Check(Journey, JourneyMode.Paused, EntryHistory.None, go, _customer.Customer, T0));
        Assert.Equal(EntryVerdict.JourneyNotActive, JourneyEntry.Check(Journey, JourneyMode.Archived, EntryHistory.None, go, _customer.Customer, T0));
    }

    [Fact]
    public void Archiving_ends_every_run_where_it_is()
    {
        _customer.EnterOn("go");
        _customer.Pass(Duration.FromHours(2));

        Assert.Equal(["exited clicked (archived)"], Tell(_customer.Advance(new JourneyChanged(JourneyMode.Archived))));
        Assert.Null(_customer.Run);
    }

    [Fact]
    public void Any_input_to_a_run_of_an_archived_journey_ends_it_as_archived()
    {
        _customer.EnterOn("go");
        _customer.Mode = JourneyMode.Archived;

        Assert.Equal(["exited hour (archived)"], Tell(_customer.Receive("click")));
    }

    [Fact]
    public void A_run_entered_as_the_journey_is_archived_enters_and_ends_at_once()
    {
        _customer.Mode = JourneyMode.Archived;

        Assert.Equal(["entered hour", "exited hour (archived)"], Tell(_customer.EnterOn("go")));
        Assert.Equal(0, _customer.Counts["hour"].Current);
    }
}
