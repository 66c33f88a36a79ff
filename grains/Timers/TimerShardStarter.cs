using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Timers;

namespace Waymark.Grains.Timers;

/// <summary>
/// Activates every shard of the timer wheel once the silo is active, so that each registers its reminder and wake-ups
/// that fell due while the cluster was down fire at once; a shard that cannot be started then is logged rather than
/// failing the silo, as its reminder brings it back. Then, whenever the cluster's membership declares another silo dead,
/// it activates every shard again, so the shards that silo hosted resume on a survivor within seconds of the
/// declaration rather than at their reminder's next tick, up to a minute later.
/// </summary>
public sealed partial class TimerShardStarter(
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    IOptions<TimerWheelOptions> options,
    ILogger<TimerShardStarter> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How long after a failed start a shard is tried again, after a silo died.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource stopping = new();
    private Task watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TimerShardStarter), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public void Dispose() => stopping.Dispose();

    /// <summary>The silos dead in <paramref name="current"/> that were not in <paramref name="previous"/> (unknown there
    /// counts as alive), other than <paramref name="self"/>.</summary>
    public static IReadOnlyList<SiloAddress> NewlyDead(ClusterMembershipSnapshot previous, ClusterMembershipSnapshot current, SiloAddress self) =>
    [
        .. current.Members.Values
            .Where(m => m.Status == SiloStatus.Dead && !m.SiloAddress.Equals(self)
                && !(previous.Members.TryGetValue(m.SiloAddress, out var before) && before.Status == SiloStatus.Dead))
            .Select(m => m.SiloAddress),
    ];

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        // Taken before the shards start, so a silo that dies meanwhile is still seen to die.
        var known = membership.CurrentSnapshot;
        await Task.WhenAll(Enumerable.Range(0, options.Value.Shards).Select(StartShardOnceAsync));
        watching = Task.Run(() => RestartShardsWhenSilosDieAsync(known, stopping.Token), CancellationToken.None);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await watching.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task StartShardOnceAsync(int shard)
    {
        try
        {
            await grains.GetGrain<ITimerShardGrain>(shard).Start();
        }
        catch (Exception e)
        {
            LogStartFailed(logger, shard, TimerShardGrain.ReminderPeriod, e);
        }
    }

    private async Task RestartShardsWhenSilosDieAsync(ClusterMembershipSnapshot known, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var dead = NewlyDead(known, snapshot, silo.SiloAddress);
                known = snapshot;
                if (dead.Count > 0)
                {
                    LogRestartingShards(logger, string.Join(", ", dead), options.Value.Shards);
                    await Task.WhenAll(Enumerable.Range(0, options.Value.Shards).Select(shard => RestartShardAsync(shard, cancellationToken)));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    /// <summary>
    /// Calls the shard until it answers. Right after a death declaration a call can still be routed to the dead silo's
    /// activation until the grain directory has caught up, so a failure is retried; after a reminder period the shard's
    /// reminder will have brought it back anyway.
    /// </summary>
    private async Task RestartShardAsync(int shard, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await grains.GetGrain<ITimerShardGrain>(shard).Start().WaitAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (Stopwatch.GetElapsedTime(started) + RetryDelay > TimerShardGrain.ReminderPeriod)
                {
                    LogStartFailed(logger, shard, TimerShardGrain.ReminderPeriod, e);
                    return;
                }
            }

            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Error,
        "Timer shard {Shard} could not be started. If it has run before, its reminder starts it within {ReminderPeriod}; otherwise its wake-ups wait for the next silo start.")]
    private static partial void LogStartFailed(ILogger logger, int shard, TimeSpan reminderPeriod, Exception exception);

    [LoggerMessage(LogLevel.Information, "Silo {Silos} was declared dead: activating the timer wheel's {Shards} shards, so the ones it hosted resume here or on another survivor.")]
    private static partial void LogRestartingShards(ILogger logger, string silos, int shards);
}
