using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Templates;

namespace Waymark.Definitions.Tests.Journeys;

public sealed class JourneyExampleTests
{
    [Theory]
    [InlineData("test-drive-followup.json")]
    [InlineData("unpaid-order-reminder.json")]
    [InlineData("coupon-ab-with-control.json")]
    [InlineData("copy-horse-race.json")]
    public void Every_spec_example_validates_with_no_problem(string fileName)
    {
        var parsed = TestWorkspace.Read(TestWorkspace.Example(fileName));

        Assert.Empty(parsed.Problems);
        Assert.NotNull(parsed.Value);
    }

    [Fact]
    public void Test_drive_follow_up_waits_until_ten_the_day_before_the_booking()
    {
        var journey = TestWorkspace.ReadValid(TestWorkspace.Example("test-drive-followup.json"));

        Assert.Equal("until-day-before", journey.Start);
        var wait = Assert.IsType<WaitNode>(journey.Node("until-day-before"));
        var until = Assert.IsType<WaitUntilProperty>(wait.Time);
        Assert.Equal(new ValuePath(ValueRoot.TriggerProperties, "bookingTime"), until.Property);
        Assert.Equal(TimeSpan.FromDays(-1), until.Offset);
        Assert.Equal(new LocalTime(10, 0), until.AtTimeOfDay);
        Assert.Equal("remind", wait.Next);
    }

    [Fact]
    public void Test_drive_follow_up_reads_its_trigger_entry_exit_goal_and_branches()
    {
        var journey = TestWorkspace.ReadValid(TestWorkspace.Example("test-drive-followup.json"));

        Assert.Equal("Test-drive follow-up (car dealership)", journey.Name);
        Assert.Equal(new EventTrigger("test_drive_booked", null), journey.Trigger);
        Assert.Equal(new EntryRules(Reentry.AfterExit, null, null), journey.Entry);
        Assert.Equal(new ExitOnEvent("test_drive_cancelled", null), Assert.Single(journey.ExitWhen));
        Assert.Equal(new Goal("order_completed", null, TimeSpan.FromDays(30)), journey.Goal);
        Assert.Equal(13, journey.Nodes.Count);

        var arrived = Assert.IsType<WaitEventNode>(journey.Node("arrived"));
        Assert.Equal([new Edge("next", "welcome"), new Edge("timeoutNext", "call-centre")], arrived.Edges);
        Assert.Equal(TimeSpan.FromDays(2), arrived.Timeout);

        var score = Assert.IsType<ConditionNode>(journey.Node("score"));
        Assert.Equal([new Edge("then", "thanks"), new Edge("else", "sorry")], score.Edges);
        var remind = Assert.IsType<SendNode>(journey.Node("remind"));
        Assert.Equal((Channel.Sms, MessageCategory.Transactional), (remind.Channel, remind.Category));
        Assert.Equal(MessageCategory.Marketing, Assert.IsType<SendNode>(journey.Node("ask-rating")).Category);
        Assert.Empty(journey.Node("done").Edges);
    }

    [Fact]
    public void Unpaid_order_reminder_restarts_on_every_order_and_exits_on_payment_of_that_order()
    {
        var journey = TestWorkspace.ReadValid(TestWorkspace.Example("unpaid-order-reminder.json"));

        Assert.Equal(Reentry.Always, journey.Entry.Reentry);
        var exit = Assert.IsType<ExitOnEvent>(Assert.Single(journey.ExitWhen));
        Assert.Equal("order_paid", exit.Event);
        var where = Assert.IsType<PropertyPredicate>(exit.Where);
        Assert.Equal("orderId", where.Property);
        Assert.Equal(ComparisonOperator.Eq, where.Comparison.Operator);
        Assert.Equal(new PathOperand(new ValuePath(ValueRoot.TriggerProperties, "orderId")), where.Comparison.Operand);
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.IsType<WaitForDuration>(Assert.IsType<WaitNode>(journey.Node("ten-minutes")).Time).Duration);
        Assert.IsType<PropertyPredicate>(Assert.IsType<EventTrigger>(journey.Trigger).Where);
    }

    [Fact]
    public void Coupon_test_splits_34_33_33_with_a_control_branch()
    {
        var journey = TestWorkspace.ReadValid(TestWorkspace.Example("coupon-ab-with-control.json"));

        Assert.Equal(new SegmentTrigger("diamond-vip", SegmentTransition.Enter, IncludeExisting: true), journey.Trigger);
        var split = Assert.IsType<SplitNode>(journey.Node("split"));
        Assert.Equal(
            [new SplitBranch(SplitNode.ControlBranch, 34, "done"), new SplitBranch("pct20", 33, "send-pct"), new SplitBranch("300-30", 33, "send-abs")],
            split.Branches);
        Assert.Equal(["control", "pct20", "300-30"], split.Edges.Select(e => e.Label));
        Assert.Equal(["diamond-vip"], journey.ReferencedSegments);
        Assert.Empty(journey.ReferencedTemplates);
    }

    [Fact]
    public void Copy_horse_race_tests_four_push_variants_on_ten_percent_for_an_hour()
    {
        var journey = TestWorkspace.ReadValid(TestWorkspace.Example("copy-horse-race.json"));

        var schedule = Assert.IsType<ScheduleTrigger>(journey.Trigger);
        Assert.Equal(Instant.FromUtc(2027, 5, 20, 12, 0), schedule.At);
        Assert.Null(schedule.Every);
        var push = Assert.IsType<SendNode>(journey.Node("push"));
        Assert.Equal(Channel.Push, push.Channel);
        var content = Assert.IsType<VariantContent>(push.Content);
        Assert.Equal(["urgency", "social", "discount", "plain"], content.Variants.Select(v => v.Name));
        Assert.All(content.Variants, v => Assert.Equal(25, v.Weight));
        Assert.Equal(new Experiment(ExperimentMetric.Click, 10, TimeSpan.FromHours(1)), content.Experiment);
        Assert.Equal(["active-7d-no-purchase"], journey.ReferencedSegments);
    }
}
