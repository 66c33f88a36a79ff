using System.Collections.Immutable;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>The sending rules at a send node of a running journey: what a suppressed or deferred send does to the run.</summary>
public sealed class SendingRulesStepTests
{
    private static readonly JourneyDefinition Sms = Of("hello", """
        [ { "id": "hello", "type": "send", "channel": "sms", "template": { "text": "Hi" }, "next": "done" },
          { "id": "done", "type": "exit" } ]
        """, exitWhen: """[ { "event": "cancelled" } ]""");

    /// <summary>The workspace defaults (3 capped messages a day, quiet 22:00–08:00) for a customer reachable everywhere.</summary>
    private static readonly DeliveryFacts Defaults = DeliveryFacts.Unrestricted with
    {
        FrequencyCap = new SendCap(3, Duration.FromHours(24)),
        QuietHours = new QuietWindow(new LocalTime(22, 0), new LocalTime(8, 0)),
    };

    private static readonly Instant Night = Instant.FromUtc(2027, 5, 20, 23, 0);

    [Fact]
    public void A_suppressed_send_sends_nothing_and_moves_on_to_next()
    {
        var customer = new RunDriver(Sms) { Delivery = Defaults with { Unsubscribed = ImmutableHashSet.Create(Channel.Sms) } };

        Assert.Equal(
            ["entered hello", "suppressed hello (sms, marketing): unsubscribed", "moved hello → done (next)", "exited done (exit_node)"],
            Tell(customer.EnterOn("go")));
        var suppressed = customer.Timeline.OfType<MessageSuppressed>().Single();
        Assert.Equal(MessageIds.For("journey-1", JourneyEntry.EntryId("u-1", "journey-1", "m-1"), "hello"), suppressed.MessageId);
    }

    [Fact]
    public void A_customer_without_a_phone_number_is_not_sent_an_sms_even_a_transactional_one()
    {
        var journey = Of("hello", """
            [ { "id": "hello", "type": "send", "channel": "sms", "category": "transactional", "template": { "text": "Your code" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey) { Delivery = Defaults with { Addressed = ImmutableHashSet.Create(Channel.Email) } };

        Assert.Contains("suppressed hello (sms, transactional): no_address", Tell(customer.EnterOn("go")));
        Assert.Empty(customer.Timeline.OfType<SendMessage>());
    }

    [Fact]
    public void Inside_quiet_hours_the_run_waits_at_the_send_and_sends_with_the_same_id_when_they_end()
    {
        var customer = new RunDriver(Sms) { Now = Night, Delivery = Defaults };

        Assert.Equal(
            ["entered hello", "deferred hello (sms, marketing) until 2027-05-21T08:00:00Z", "waiting at hello until 2027-05-21T08:00:00Z"],
            Tell(customer.EnterOn("go")));
        Assert.Equal(("hello", RunHold.None, (Instant?)Instant.FromUtc(2027, 5, 21, 8, 0)), (customer.Run!.Node, customer.Run.Hold, customer.Run.Due));
        Assert.Empty(customer.PassTo(Instant.FromUtc(2027, 5, 21, 7, 59, 59)));

        Assert.Equal(["send hello (sms, marketing)", "moved hello → done (next)", "exited done (exit_node)"], Tell(customer.Pass(Duration.FromSeconds(1))));
        Assert.Equal(customer.Timeline.OfType<MessageDeferred>().Single().MessageId, customer.Timeline.OfType<SendMessage>().Single().MessageId);
        Assert.Equal(1, customer.Counts["hello"].Entered);
    }

    [Fact]
    public void A_wake_up_that_comes_late_into_the_next_quiet_hours_waits_again()
    {
        var customer = new RunDriver(Sms) { Now = Night, Delivery = Defaults };
        customer.EnterOn("go");
        customer.Now = Instant.FromUtc(2027, 5, 21, 23, 0);

        Assert.Equal(
            ["deferred hello (sms, marketing) until 2027-05-22T08:00:00Z", "waiting at hello until 2027-05-22T08:00:00Z"],
            Tell(customer.Advance(new WokeUp())));
    }

    [Fact]
    public void The_rules_run_again_after_quiet_hours_so_an_unsubscribe_in_the_night_stops_the_message()
    {
        var customer = new RunDriver(Sms) { Now = Night, Delivery = Defaults };
        customer.EnterOn("go");
        customer.Delivery = Defaults with { Unsubscribed = ImmutableHashSet.Create(Channel.Sms) };

        Assert.Equal(
            ["suppressed hello (sms, marketing): unsubscribed", "moved hello → done (next)", "exited done (exit_node)"],
            Tell(customer.PassTo(Instant.FromUtc(2027, 5, 21, 8, 0))));
    }

    [Fact]
    public void An_exit_criterion_during_quiet_hours_ends_the_run_before_anything_is_sent()
    {
        var customer = new RunDriver(Sms) { Now = Night, Delivery = Defaults };
        customer.EnterOn("go");
        customer.Now += Duration.FromHours(1);

        Assert.Equal(["exited hello (exit_criterion)"], Tell(customer.Receive("cancelled")));
        Assert.Empty(customer.Timeline.OfType<SendMessage>());
    }

    [Fact]
    public void A_journey_paused_when_quiet_hours_end_sends_nothing_and_resuming_runs_the_rules_again()
    {
        var customer = new RunDriver(Sms) { Now = Night, Delivery = Defaults };
        customer.EnterOn("go");
        customer.Mode = JourneyMode.Paused;

        Assert.Equal(["held at hello (paused)"], Tell(customer.PassTo(Instant.FromUtc(2027, 5, 21, 9, 0))));
        Assert.Empty(customer.Timeline.OfType<SendMessage>());

        // Resumed that night: quiet again, so it waits again rather than sending.
        customer.Now = Instant.FromUtc(2027, 5, 21, 22, 30);
        customer.Mode = JourneyMode.Active;
        Assert.Equal(
            ["deferred hello (sms, marketing) until 2027-05-22T08:00:00Z", "waiting at hello until 2027-05-22T08:00:00Z"],
            Tell(customer.Advance(new JourneyChanged(JourneyMode.Active))));
        Assert.Contains("send hello (sms, marketing)", Tell(customer.PassTo(Instant.FromUtc(2027, 5, 22, 8, 0))));
    }

    [Fact]
    public void A_second_send_in_the_same_step_sees_the_first_so_the_cap_holds_within_a_step()
    {
        var journey = Of("first", """
            [ { "id": "first", "type": "send", "channel": "email", "template": { "subject": "1", "text": "1" }, "next": "second" },
              { "id": "second", "type": "send", "channel": "push", "template": { "title": "2", "body": "2" }, "next": "receipt" },
              { "id": "receipt", "type": "send", "channel": "email", "category": "transactional", "template": { "subject": "r", "text": "r" }, "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey) { Delivery = Defaults with { MarketingSends = [T0 - Duration.FromHours(5), T0 - Duration.FromHours(1)] } };

        Assert.Equal(
            ["entered first", "send first (email, marketing)", "moved first → second (next)", "suppressed second (push, marketing): frequency_cap",
             "moved second → receipt (next)", "send receipt (email, transactional)", "moved receipt → done (next)", "exited done (exit_node)"],
            Tell(customer.EnterOn("go")));
    }

    [Fact]
    public void A_suppressed_send_uses_up_its_message_id_so_the_next_pass_of_a_loop_has_a_new_one()
    {
        var journey = Of("daily", """
            [ { "id": "daily", "type": "send", "channel": "sms", "template": { "text": "Tip" }, "next": "day" },
              { "id": "day", "type": "wait", "duration": "P1D", "next": "daily" } ]
            """);
        var customer = new RunDriver(journey) { Delivery = Defaults with { Addressed = ImmutableHashSet<Channel>.Empty } };
        customer.EnterOn("go");
        customer.Delivery = Defaults;
        customer.Pass(Duration.FromDays(1));

        var suppressed = customer.Timeline.OfType<MessageSuppressed>().Single();
        var sent = customer.Timeline.OfType<SendMessage>().Single();
        Assert.Equal(MessageIds.For("journey-1", customer.Run!.EntryId, "daily", 1), sent.MessageId);
        Assert.NotEqual(suppressed.MessageId, sent.MessageId);
    }

    [Fact]
    public void A_customer_deferred_at_an_experiment_neither_joins_the_test_nor_is_held_until_the_rules_let_the_message_through()
    {
        var horseRace = Example("copy-horse-race.json");
        var decisions = Enumerable.Range(0, 200).Select(i =>
        {
            var customer = new RunDriver(horseRace, $"u-{i}", "horse-race") { Now = Night, Delivery = Defaults };
            return (Customer: customer, Decisions: Tell(customer.Enter(new ScheduleFired("active-7d-no-purchase"))));
        }).ToList();

        Assert.All(decisions, d => Assert.Equal(
            ["entered push", "deferred push (push, marketing) until 2027-05-21T08:00:00Z", "waiting at push until 2027-05-21T08:00:00Z"], d.Decisions));

        // At the end of quiet hours each arrives at the experiment as any arrival does: about a tenth are tested.
        var after = decisions.Select(d => Tell(d.Customer.PassTo(Instant.FromUtc(2027, 5, 21, 8, 0)))).ToList();
        Assert.All(after, a => Assert.True(a.SequenceEqual(["held at push (experiment)"]) || a[0].StartsWith("send push (push, marketing) variant ", StringComparison.Ordinal)));
        Assert.InRange(after.Count(a => a[0].StartsWith("send", StringComparison.Ordinal)), 5, 40);
    }

    [Fact]
    public void A_customer_suppressed_at_an_experiment_is_never_held_for_its_winner_nor_given_a_variant()
    {
        var horseRace = Example("copy-horse-race.json");
        for (var i = 0; i < 100; i++)
        {
            var customer = new RunDriver(horseRace, $"u-{i}", "horse-race") { Delivery = Defaults with { Addressed = ImmutableHashSet<Channel>.Empty } };

            Assert.Equal(
                ["entered push", "suppressed push (push, marketing): no_address", "moved push → done (next)", "exited done (exit_node)"],
                Tell(customer.Enter(new ScheduleFired("active-7d-no-purchase"))));
            Assert.Null(customer.Watch?.Variant);
        }
    }

    [Fact]
    public void A_held_customer_released_by_the_winner_in_quiet_hours_waits_for_their_end_and_then_gets_the_winner()
    {
        var horseRace = Example("copy-horse-race.json");
        var customer = Enumerable.Range(0, 100)
            .Select(i => new RunDriver(horseRace, $"u-{i}", "horse-race") { Delivery = Defaults })
            .First(c => c.Enter(new ScheduleFired("active-7d-no-purchase")).OfType<Held>().Any());
        customer.Now = Night;

        Assert.Equal(
            ["deferred push (push, marketing) until 2027-05-21T08:00:00Z", "waiting at push until 2027-05-21T08:00:00Z"],
            Tell(customer.Advance(new ExperimentDecided("push", "social"))));
        customer.Winners["push"] = "social";
        Assert.Equal(
            ["send push (push, marketing) variant social", "moved push → done (next)", "exited done (exit_node)"],
            Tell(customer.PassTo(Instant.FromUtc(2027, 5, 21, 8, 0))));
    }
}
