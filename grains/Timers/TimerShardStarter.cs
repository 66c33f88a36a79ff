using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Timers;

namespace Waymark.Grains.Timers;

/// <summary>
/// Activates every shard of the timer wheel once the silo is active, so that each registers its reminder and wake-ups
/// that fell due while the cluster was down fire at once. From then on the reminders bring shards back after
/// restarts and failovers, so a shard that cannot be started now is logged rather than failing the silo.
/// </summary>
public sealed partial class TimerShardStarter(
    IGrainFactory grains,
    IOptions<TimerWheelOptions> options,
    ILogger<TimerShardStarter> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TimerShardStarter), ServiceLifecycleStage.Active, StartShardsAsync);

    private Task StartShardsAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Shards).Select(StartShardAsync));

    private async Task StartShardAsync(int shard)
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

    [LoggerMessage(LogLevel.Error,
        "Timer shard {Shard} could not be started. If it has run before, its reminder starts it within {ReminderPeriod}; otherwise its wake-ups wait for the next silo start.")]
    private static partial void LogStartFailed(ILogger logger, int shard, TimeSpan reminderPeriod, Exception exception);
}
