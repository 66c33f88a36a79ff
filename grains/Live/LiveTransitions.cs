using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Waymark.Grains.Customers;
using Waymark.Storage.CustomerLog;

namespace Waymark.Grains.Live;

/// <summary>
/// The publishing half of a journey's live view (<c>GET /api/journeys/{id}/live</c>), one per silo. Customers hand it
/// the entries they commit; <see cref="Publish"/> keeps the journey items among them in a bounded buffer and returns at
/// once, so a customer's step never waits on a stream. Every <see cref="FlushPeriod"/> one loop turns the buffered items
/// into timeline items with their <c>customerId</c> and publishes one batch per journey on that journey's stream
/// (<see cref="LiveStreams"/>): a burst of transitions costs one stream message per journey and period, not one per
/// transition. The view is best effort: a full buffer drops what does not fit (counted by <c>waymark.live.dropped</c>
/// and logged), and a crash loses what waits in the buffer. The customer log stays the record.
/// </summary>
public sealed partial class LiveTransitions : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How long a transition waits in the buffer at most before it is published.</summary>
    public static readonly TimeSpan FlushPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>Transitions the buffer holds: 262,144 a second at <see cref="FlushPeriod"/>, beyond which they are dropped.</summary>
    public const int Capacity = 65_536;

    /// <summary>Items per stream message, so a busy journey's period goes out in messages of a moderate size.</summary>
    private const int MaxBatch = 1_000;

    private readonly IClusterClient cluster;
    private readonly ILogger<LiveTransitions> logger;
    private readonly Counter<long> droppedCounter;
    private readonly CancellationTokenSource stopping = new();
    private readonly Channel<Transition> buffer = Channel.CreateBounded<Transition>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private IStreamProvider? streams;
    private Task loop = Task.CompletedTask;
    private long droppedSinceFlush;

    public LiveTransitions(IClusterClient cluster, IMeterFactory meters, ILogger<LiveTransitions> logger)
    {
        this.cluster = cluster;
        this.logger = logger;
        droppedCounter = meters.Create("Waymark").CreateCounter<long>(
            "waymark.live.dropped", "{transition}", "Journey transitions left out of the live view because the silo's buffer was full or a publish failed.");
    }

    /// <summary>Takes the journey items among a customer's committed entries for the live view; never blocks, never throws.</summary>
    public void Publish(string workspace, string customerId, IReadOnlyList<LogEntry> committed)
    {
        for (var i = 0; i < committed.Count; i++)
        {
            if (LogKinds.JourneyItems.Contains(committed[i].Kind) && !buffer.Writer.TryWrite(new Transition(workspace, customerId, committed[i])))
            {
                Dropped(1);
            }
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LiveTransitions), ServiceLifecycleStage.Active, Start, Stop);

    public void Dispose() => stopping.Dispose();

    private Task Start(CancellationToken cancellationToken)
    {
        streams = cluster.GetStreamProvider(LiveStreams.ProviderName);
        loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>The silo leaves its active stage first when it stops, so the last flush still reaches the streams.</summary>
    private async Task Stop(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(FlushPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        try
        {
            // At most one buffer's worth per flush, so a flood cannot keep one flush going for ever.
            var batches = new Dictionary<(string Workspace, string Journey), List<string>>();
            for (var read = 0; read < Capacity && buffer.Reader.TryRead(out var transition); read++)
            {
                if (ToLiveItem(transition) is { } item)
                {
                    var key = (transition.Workspace, item.Journey);
                    if (!batches.TryGetValue(key, out var items))
                    {
                        batches[key] = items = [];
                    }

                    items.Add(item.Json);
                }
            }

            await Task.WhenAll(batches.SelectMany(b => b.Value.Chunk(MaxBatch).Select(items => PublishAsync(b.Key.Workspace, b.Key.Journey, items))));
        }
        catch (Exception e)
        {
            LogFlushFailed(logger, e);
        }

        if (Interlocked.Exchange(ref droppedSinceFlush, 0) is > 0 and var dropped)
        {
            LogDropped(logger, dropped, Capacity);
        }
    }

    private async Task PublishAsync(string workspace, string journeyId, string[] items)
    {
        try
        {
            await streams!.GetStream<string>(LiveStreams.Of(workspace, journeyId)).OnNextBatchAsync(items);
        }
        catch (Exception e)
        {
            Dropped(items.Length);
            LogPublishFailed(logger, items.Length, workspace, journeyId, e);
        }
    }

    /// <summary>The journey a transition belongs to, and its timeline item with the customer's id added in front.</summary>
    private (string Journey, string Json)? ToLiveItem(Transition transition)
    {
        try
        {
            using var payload = JsonDocument.Parse(transition.Entry.Payload);
            if (!payload.RootElement.TryGetProperty("journey", out var journey) || journey.GetString() is not { } journeyId)
            {
                return null;
            }

            // The item is a JSON object ("{"at":…), so the id goes in after its opening brace.
            var item = TimelineItems.ToJson(transition.Entry);
            return (journeyId, $$"""{"customerId":{{JsonSerializer.Serialize(transition.CustomerId)}},{{item.AsSpan(1)}}""");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            LogUnreadable(logger, transition.Entry.Kind, transition.Entry.Seq, e);
            return null;
        }
    }

    private void Dropped(long count)
    {
        Interlocked.Add(ref droppedSinceFlush, count);
        droppedCounter.Add(count);
    }

    private sealed record Transition(string Workspace, string CustomerId, LogEntry Entry);

    [LoggerMessage(LogLevel.Warning, "{Dropped} journey transitions were left out of the live view: the silo's buffer of {Capacity} was full or a publish failed.")]
    private static partial void LogDropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(LogLevel.Warning, "Publishing {Count} live transitions of journey {Journey} in workspace {Workspace} failed.")]
    private static partial void LogPublishFailed(ILogger logger, int count, string workspace, string journey, Exception exception);

    [LoggerMessage(LogLevel.Error, "A live flush failed; the transitions it held are lost to the live view.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(LogLevel.Error, "A {Kind} log entry (seq {Seq}) has no readable journey; it is left out of the live view.")]
    private static partial void LogUnreadable(ILogger logger, string kind, long seq, Exception exception);
}
