using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>Experiments, on the spec example copy-horse-race.json: four copies of 25% each race on 10% of the audience.</summary>
public sealed class ExperimentTests
{
    private static readonly JourneyDefinition HorseRace = Canvas.Example("copy-horse-race.json");

    private static readonly ScheduleFired Fired = new("active-7d-no-purchase");

    private static RunDriver Arrive(string customerKey)
    {
        var customer = new RunDriver(HorseRace, customerKey, "horse-race");
        customer.Enter(Fired);
        return customer;
    }

    private static string HeldCustomer() => Enumerable.Range(0, 100).Select(i => $"u-{i}").First(key => Arrive(key).Run is not null);

    [Fact]
    public void While_testing_about_test_percent_of_arrivals_get_a_variant_by_weight_and_the_rest_are_held()
    {
        var arrivals = Enumerable.Range(0, 10_000).Select(i => Arrive($"u-{i}")).ToList();
        var tested = arrivals.Where(c => c.Run is null).ToList();
        var held = arrivals.Where(c => c.Run is not null).ToList();

        Assert.InRange(tested.Count, 850, 1_150);
        Assert.All(held, c => Assert.Equal(["entered push", "held at push (experiment)"], Tell(c.Timeline)));
        Assert.All(held, c => Assert.Equal((RunHold.Experiment, (NodaTime.Instant?)null), (c.Run!.Hold, c.Run.Due)));
        var variants = tested.GroupBy(c => c.Timeline.OfType<SendMessage>().Single().Variant).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(["discount", "plain", "social", "urgency"], variants.Keys.Order(StringComparer.Ordinal));
        Assert.All(variants.Values, count => Assert.InRange(count, tested.Count * 0.17, tested.Count * 0.33));
    }

    [Fact]
    public void Joining_the_test_is_stable_per_customer()
    {
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(Tell(Arrive($"u-{i}").Timeline), Tell(Arrive($"u-{i}").Timeline));
        }
    }

    [Fact]
    public void The_decision_releases_a_held_run_with_the_winning_variant()
    {
        var customer = Arrive(HeldCustomer());

        Assert.Equal(
            ["send push (push, marketing) variant social", "moved push → done (next)", "exited done (exit_node)"],
            Tell(customer.Advance(new ExperimentDecided("push", "social"))));
        Assert.Equal(MessageIds.For("horse-race", JourneyEntry.EntryId(customer.CustomerKey, "horse-race", "m-1"), "push"), customer.Timeline.OfType<SendMessage>().Single().MessageId);
        Assert.Equal("social", customer.Watch?.Variant);
    }

    [Fact]
    public void A_decision_about_another_node_or_for_a_run_not_held_changes_nothing()
    {
        var customer = Arrive(HeldCustomer());
        var held = customer.Run!;

        var result = JourneyStep.Advance(held, new ExperimentDecided("elsewhere", "social"), customer.Context);

        Assert.Empty(result.Decisions);
        Assert.Same(held, result.Run);
        var waiting = held with { Hold = RunHold.None };
        Assert.Empty(JourneyStep.Advance(waiting, new ExperimentDecided("push", "social"), customer.Context).Decisions);
    }

    [Fact]
    public void Once_decided_every_arrival_gets_the_winner_test_group_or_not()
    {
        for (var i = 0; i < 200; i++)
        {
            var customer = new RunDriver(HorseRace, $"u-{i}", "horse-race");
            customer.Winners["push"] = "discount";

            Assert.Equal(
                ["entered push", "send push (push, marketing) variant discount", "moved push → done (next)", "exited done (exit_node)"],
                Tell(customer.Enter(Fired)));
        }
    }

    [Fact]
    public void A_winner_that_is_not_a_variant_is_a_bug_that_throws()
    {
        var customer = Arrive(HeldCustomer());

        Assert.Throws<InvalidOperationException>(() => customer.Advance(new ExperimentDecided("push", "nobody")));
    }

    [Fact]
    public void Decided_while_paused_the_run_is_held_until_resume_then_gets_the_winner()
    {
        var customer = Arrive(HeldCustomer());
        customer.Mode = JourneyMode.Paused;

        Assert.Equal(["held at push (paused)"], Tell(customer.Advance(new ExperimentDecided("push", "plain"))));
        customer.Winners["push"] = "plain";
        customer.Mode = JourneyMode.Active;
        Assert.Equal(
            ["send push (push, marketing) variant plain", "moved push → done (next)", "exited done (exit_node)"],
            Tell(customer.Advance(new JourneyChanged(JourneyMode.Active))));
    }

    [Fact]
    public void A_held_run_sleeps_through_wake_ups()
    {
        var customer = Arrive(HeldCustomer());

        Assert.Empty(customer.Advance(new WokeUp()));
        Assert.Empty(customer.Advance(new JourneyChanged(JourneyMode.Active)));
        Assert.Equal(RunHold.Experiment, customer.Run?.Hold);
    }
}
