using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Waymark.Grains.Live;
using Waymark.Storage.CustomerLog;

namespace Waymark.Gateway.Tests.Journeys;

/// <summary>The silo's live buffer on the customer's path: journey items only, and never more than it holds.</summary>
public class LiveTransitionsTests
{
    [Fact]
    public void A_full_buffer_drops_and_counts_what_does_not_fit_and_other_entries_take_no_place()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        long dropped = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "waymark.live.dropped")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();
        using var live = new LiveTransitions(cluster: null!, meters, NullLogger<LiveTransitions>.Instance);

        // Not started: nothing drains, so the buffer fills.
        live.Publish("default", "u-1", [.. Enumerable.Range(1, LiveTransitions.Capacity).Select(seq => Entry(seq, "event"))]);
        Assert.Equal(0, Interlocked.Read(ref dropped));
        live.Publish("default", "u-1", [.. Enumerable.Range(1, LiveTransitions.Capacity - 1).Select(seq => Entry(seq, "entered"))]);
        Assert.Equal(0, Interlocked.Read(ref dropped));
        live.Publish("default", "u-1", [Entry(1, "moved"), Entry(2, "profile"), Entry(3, "exited"), Entry(4, "goal")]);

        Assert.Equal(2, Interlocked.Read(ref dropped));
    }

    private static LogEntry Entry(long seq, string kind) =>
        new("default", "u:u-1", seq, kind, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, """{"journey":"welcome","entryId":"e-1"}""");
}
