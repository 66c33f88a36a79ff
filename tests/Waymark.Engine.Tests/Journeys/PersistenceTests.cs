using System.Text.Json;
using NodaTime;
using Waymark.Engine.Journeys;
using Waymark.Model;
using static Waymark.Engine.Tests.Journeys.Canvas;
using static Waymark.Engine.Tests.Journeys.Narration;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>The grain stores runs, goal watches and counts as JSON with System.Text.Json; a stored run must advance exactly like the one in memory.</summary>
public sealed class PersistenceTests
{
    private static readonly JsonSerializerOptions[] Dialects = [WaymarkJson.Options, JsonSerializerOptions.Default];

    private static T RoundTrip<T>(T value, JsonSerializerOptions options) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, options), options)!;

    private static RunDriver RunMidWay()
    {
        var customer = new RunDriver(Example("test-drive-followup.json"));
        customer.EnterOn("test_drive_booked", """{ "bookingTime": "2027-05-25T15:00:00+08:00", "model": "Model Y" }""");
        customer.PassTo(Instant.FromUtc(2027, 5, 25, 7, 0, 0) + Duration.FromNanoseconds(123_456_789));
        customer.Receive("store_visited", """{ "store": "Pudong", "at": { "gate": 3 } }""");
        customer.Receive("order_completed");
        return customer;
    }

    [Fact]
    public void A_stored_run_reads_back_with_every_field()
    {
        var run = RunMidWay().Run!;

        foreach (var options in Dialects)
        {
            var stored = RoundTrip(run, options);

            Assert.Equal(JsonSerializer.Serialize(run, options), JsonSerializer.Serialize(stored, options));
            Assert.Equal((run.Node, run.NodeSince, run.Due, run.Hold, run.GoalReached), (stored.Node, stored.NodeSince, stored.Due, stored.Hold, stored.GoalReached));
            Assert.Equal(run.CurrentEvent!.Timestamp, stored.CurrentEvent!.Timestamp);
            Assert.Equal(run.SendsByNode.OrderBy(s => s.Key), stored.SendsByNode.OrderBy(s => s.Key));
        }
    }

    [Fact]
    public void A_run_with_no_due_time_and_no_event_reads_back_with_nulls()
    {
        var run = JourneyEntry.Start("vip", Of("done", """[ { "id": "done", "type": "exit" } ]""", trigger: """{ "type": "api" }"""), 2, "entry-1", new ApiEnrolled(), T0);

        foreach (var options in Dialects)
        {
            var stored = RoundTrip(run, options);

            Assert.Equal((null, null, 2, T0), (stored.Due, stored.CurrentEvent, stored.Version, stored.EnteredAt));
            Assert.Empty(stored.TriggerProperties);
            Assert.Empty(stored.SendsByNode);
        }
    }

    [Fact]
    public void Instants_are_stored_as_readable_iso_text_to_the_nanosecond()
    {
        var json = JsonSerializer.Serialize(RunMidWay().Run, WaymarkJson.Options);

        Assert.Contains("\"nodeSince\":\"2027-05-25T07:00:00.123456789Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"enteredAt\":\"2027-05-20T12:00:00Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"hold\":\"none\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_run_advances_exactly_as_the_run_in_memory()
    {
        var customer = RunMidWay();
        customer.Pass(Duration.FromDays(1) + Duration.FromHours(1));
        var run = customer.Run!;
        Assert.Equal("rated", run.Node);
        var rated = customer.Event("service_rated", """{ "score": 4 }""");

        var fromMemory = JourneyStep.Advance(run, new EventArrived(rated, customer.Now), customer.Context);
        var fromStore = JourneyStep.Advance(RoundTrip(run, WaymarkJson.Options), new EventArrived(rated, customer.Now), customer.Context);

        Assert.Contains("send alert-manager (webhook, transactional)", Tell(fromMemory.Decisions));
        Assert.Equal(Tell(fromMemory.Decisions), Tell(fromStore.Decisions));
        Assert.Equal(fromMemory.Decisions.OfType<SendMessage>().Select(s => s.MessageId), fromStore.Decisions.OfType<SendMessage>().Select(s => s.MessageId));
        Assert.Equal(JsonSerializer.Serialize(fromMemory.Run, WaymarkJson.Options), JsonSerializer.Serialize(fromStore.Run, WaymarkJson.Options));
    }

    [Fact]
    public void A_malformed_instant_is_refused_when_read()
    {
        var json = JsonSerializer.Serialize(RunMidWay().Run, WaymarkJson.Options).Replace("\"enteredAt\":\"2027-05-20T12:00:00Z\"", "\"enteredAt\":\"yesterday\"", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<JourneyRun>(json, WaymarkJson.Options));
    }

    [Fact]
    public void Goal_watches_entry_history_and_node_counts_read_back()
    {
        var customer = new RunDriver(Example("unpaid-order-reminder.json"));
        customer.EnterOn("order_submitted", """{ "orderId": "o-1" }""");
        customer.Pass(Duration.FromDays(2));
        var watch = customer.Watch!;
        var history = new EntryHistory(2, T0, true);

        foreach (var options in Dialects)
        {
            Assert.Equal(JsonSerializer.Serialize(watch, options), JsonSerializer.Serialize(RoundTrip(watch, options), options));
            Assert.Equal(history, RoundTrip(history, options));
            Assert.Equal(customer.Counts, RoundTrip(customer.Counts, options));
        }
    }
}
