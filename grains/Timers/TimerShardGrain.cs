using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Timers;
using Waymark.Model.Time;
using Waymark.Storage.Timers;

namespace Waymark.Grains.Timers;

/// <summary>
/// One shard of the timer wheel. Its wake-ups are rows of <c>waymark_timers</c>, not grain state or reminders, so a
/// million waiting customers cost the silo nothing until they are due. While active, a grain timer polls every
/// <see cref="TimerWheelOptions.PollInterval"/>: it reads the due rows in due order a page at a time, wakes their
/// targets concurrently (a bounded number at once), and deletes the rows whose wake-up succeeded. One durable reminder
/// brings the shard back after a crash, restart or failover, and its tick polls too.
/// </summary>
/// <remarks>
/// "Now" is Waymark's business clock (<see cref="WaymarkClock"/>), so a test can move time forward; the poll cadence is the grain
/// timer's, which Orleans drives from its own clock for grains (real time unless a host replaces it).
/// </remarks>
public sealed partial class TimerShardGrain(
    ITimerStore store,
    IOptions<TimerWheelOptions> options,
    WaymarkClock clock,
    ILogger<TimerShardGrain> logger) : Grain, ITimerShardGrain, IRemindable
{
    /// <summary>A wake-up due while no silo ran the shard fires at most this long after the shard's silo is back.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private const string ReminderName = "poll";

    /// <summary>Rows read per query. A full page is followed at once by the next, so beyond capacity wake-ups run late
    /// but in due order.</summary>
    private const int PageSize = 500;

    /// <summary>Wake-up calls in flight at once, so one shard cannot flood the silo with calls.</summary>
    private const int MaxWakeUpsInFlight = 64;

    private int shard;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        shard = checked((int)this.GetPrimaryKeyLong());
        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod, cancellationToken);
        // KeepAlive: polling is the shard's work, so it keeps the activation from being collected as idle.
        this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions(TimeSpan.Zero, options.Value.PollInterval) { KeepAlive = true });
    }

    public Task Start() => Task.CompletedTask;

    public Task ReceiveReminder(string reminderName, TickStatus status) => PollAsync(CancellationToken.None);

    /// <summary>Wakes everything due now, page after page. Each row is tried at most once per poll: the next page
    /// starts after the last row read, so a failed wake-up waits for the next poll instead of being retried at once.</summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<TimerEntry> page;
            TimerEntry? after = null;
            do
            {
                page = await store.DueAsync(shard, clock.GetUtcNow(), PageSize, after, cancellationToken);
                await store.RemoveAsync(await WakeAsync(page), cancellationToken);
                after = page.Count > 0 ? page[^1] : null;
            }
            while (page.Count == PageSize);
        }
        catch (DbException e)
        {
            LogPollFailed(logger, shard, e);
        }
    }

    /// <summary>Wakes the targets of <paramref name="page"/>, at most <see cref="MaxWakeUpsInFlight"/> at once, started in
    /// due order; returns the rows whose wake-up succeeded.</summary>
    private async Task<List<TimerEntry>> WakeAsync(IReadOnlyList<TimerEntry> page)
    {
        // Every continuation runs on this activation's scheduler, one at a time, so the list needs no lock.
        var woken = new List<TimerEntry>(page.Count);
        using var slots = new SemaphoreSlim(MaxWakeUpsInFlight);
        await Task.WhenAll(page.Select(async entry =>
        {
            await slots.WaitAsync();
            try
            {
                if (await TryWakeAsync(entry))
                {
                    woken.Add(entry);
                }
            }
            finally
            {
                slots.Release();
            }
        }));
        return woken;
    }

    /// <summary>True when the row is done with: its target was woken, or its target can never be.</summary>
    private async Task<bool> TryWakeAsync(TimerEntry entry)
    {
        if (!GrainId.TryParse(entry.Target, out var target))
        {
            LogUnreadableTarget(logger, shard, entry.Target, entry.Tag);
            return true;
        }

        try
        {
            await GrainFactory.GetGrain<IWakeUp>(target).WakeUp(entry.Due, entry.Tag);
            return true;
        }
        catch (Exception e)
        {
            LogWakeUpFailed(logger, shard, entry.Target, entry.Tag, entry.Due, e);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Timer shard {Shard} could not read or remove its due wake-ups; the next poll tries again.")]
    private static partial void LogPollFailed(ILogger logger, int shard, Exception exception);

    [LoggerMessage(LogLevel.Warning, "Timer shard {Shard} could not wake {Target} for {Tag} (due {Due}); the next poll tries again.")]
    private static partial void LogWakeUpFailed(ILogger logger, int shard, string target, string tag, DateTimeOffset due, Exception exception);

    [LoggerMessage(LogLevel.Error, "Timer shard {Shard} dropped a wake-up for {Tag} whose target '{Target}' is not a grain id.")]
    private static partial void LogUnreadableTarget(ILogger logger, int shard, string target, string tag);
}
