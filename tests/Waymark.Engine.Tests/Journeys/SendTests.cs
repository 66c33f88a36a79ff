using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Journeys;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

public sealed class SendTests
{
    private static readonly JourneyDefinition InlineSend = Canvas.Of("hello", """
        [ { "id": "hello", "type": "send", "channel": "sms", "template": { "text": "Hi {{ customer.traits.name }}" }, "next": "done" },
          { "id": "done", "type": "exit" } ]
        """);

    private static readonly JourneyDefinition Variants = Canvas.Of("push", """
        [ { "id": "push", "type": "send", "channel": "push", "variants": [
              { "name": "short", "weight": 70, "template": { "title": "Hi", "body": "A" } },
              { "name": "long", "weight": 30, "template": { "title": "Hello there", "body": "B" } },
              { "name": "unused", "weight": 0, "template": { "title": "-", "body": "-" } } ],
            "next": "done" },
          { "id": "done", "type": "exit" } ]
        """,
        goal: """{ "event": "bought", "within": "P7D" }""");

    [Fact]
    public void An_inline_send_sends_the_nodes_template_with_the_id_derived_from_journey_entry_and_node()
    {
        var customer = new RunDriver(InlineSend);

        Assert.Equal(["entered hello", "send hello (sms, marketing)", "moved hello → done (next)", "exited done (exit_node)"], Tell(customer.EnterOn("go")));
        var sent = customer.Timeline.OfType<SendMessage>().Single();
        var node = (SendNode)InlineSend.Node("hello");
        Assert.Same(((InlineContent)node.Content).Template, sent.Template);
        Assert.Equal(MessageIds.For("journey-1", JourneyEntry.EntryId("u-1", "journey-1", "m-1"), "hello"), sent.MessageId);
        Assert.Null(sent.Variant);
    }

    [Fact]
    public void A_replayed_step_sends_the_same_message_id_again()
    {
        var customer = new RunDriver(InlineSend);
        var run = JourneyEntry.Start("journey-1", InlineSend, 1, "entry-1", new ApiEnrolled(), Canvas.T0);

        var first = JourneyStep.Advance(run, new Entered(run), customer.Context);
        var replay = JourneyStep.Advance(run, new Entered(run), customer.Context);

        Assert.Equal(first.Decisions.OfType<SendMessage>().Single(), replay.Decisions.OfType<SendMessage>().Single());
        Assert.Equal(Tell(first.Decisions), Tell(replay.Decisions));
    }

    [Fact]
    public void A_stored_template_is_taken_from_the_versions_snapshot()
    {
        var journey = Canvas.Of("welcome", """
            [ { "id": "welcome", "type": "send", "channel": "email", "templateId": "welcome-email", "category": "transactional", "next": "done" },
              { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey);

        Assert.Contains("send welcome (email, transactional)", Tell(customer.EnterOn("go")));
        Assert.Same(Canvas.StoredTemplates["welcome-email"], customer.Timeline.OfType<SendMessage>().Single().Template);
    }

    [Fact]
    public void A_stored_template_missing_from_the_snapshot_is_a_bug_that_throws()
    {
        var journey = Canvas.Of("welcome", """
            [ { "id": "welcome", "type": "send", "channel": "email", "templateId": "welcome-email", "next": "done" }, { "id": "done", "type": "exit" } ]
            """);
        var customer = new RunDriver(journey) { StoredTemplates = new Dictionary<string, MessageTemplate>() };

        var error = Assert.Throws<InvalidOperationException>(() => customer.EnterOn("go"));
        Assert.Contains("welcome-email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variants_go_out_by_weight_and_a_variant_of_weight_zero_never_does()
    {
        var sent = Enumerable.Range(0, 5_000).Select(i => VariantFor($"u-{i}")).ToList();

        Assert.DoesNotContain("unused", sent);
        Assert.InRange(sent.Count(v => v == "short") * 100.0 / sent.Count, 68, 72);
    }

    [Fact]
    public void A_customer_gets_the_same_variant_on_every_entry()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(VariantFor($"u-{i}", "first"), VariantFor($"u-{i}", "second"));
        }
    }

    [Fact]
    public void The_variant_sent_is_remembered_for_goal_credit()
    {
        var customer = new RunDriver(Variants);
        customer.EnterOn("go");

        Assert.Equal(customer.Timeline.OfType<SendMessage>().Single().Variant, customer.Watch?.Variant);
    }

    [Fact]
    public void A_loop_that_comes_round_to_a_send_again_sends_a_new_message_with_a_new_id()
    {
        var journey = Canvas.Of("weekly", """
            [ { "id": "weekly", "type": "send", "channel": "inapp", "template": { "title": "Tip", "body": "…" }, "next": "week" },
              { "id": "week", "type": "wait", "duration": "P7D", "next": "weekly" } ]
            """);
        var customer = new RunDriver(journey);
        customer.EnterOn("go");
        customer.Pass(Duration.FromDays(14));

        var ids = customer.Timeline.OfType<SendMessage>().Select(s => s.MessageId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(3, ids.Distinct().Count());
        var entryId = customer.Run!.EntryId;
        Assert.Equal([MessageIds.For("journey-1", entryId, "weekly"), MessageIds.For("journey-1", entryId, "weekly", 1), MessageIds.For("journey-1", entryId, "weekly", 2)], ids);
        Assert.Equal(3, customer.Run.SendsByNode["weekly"]);
    }

    private static string? VariantFor(string customerKey, string triggerId = "m-1")
    {
        var customer = new RunDriver(Variants, customerKey);
        customer.Enter(new EventTriggered(customer.Event("go"), Canvas.T0), triggerId);
        return customer.Timeline.OfType<SendMessage>().Single().Variant;
    }
}
