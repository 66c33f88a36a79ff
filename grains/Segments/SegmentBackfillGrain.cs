using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Segments;
using Waymark.Storage.CustomerLog;

namespace Waymark.Grains.Segments;

/// <summary>
/// <see cref="ISegmentBackfillGrain"/>: a grain timer takes one page of the customer registry per tick (paced to
/// <see cref="SegmentOptions.BackfillPerSecond"/>), has every customer of it refresh its segments, and saves the cursor.
/// A reminder, registered while work remains, reactivates the grain after a crash; the timer then resumes at the saved
/// cursor, so at most one page is evaluated twice, which changes nothing (a refresh at a generation is idempotent).
/// </summary>
public sealed partial class SegmentBackfillGrain(
    [PersistentState(GrainStorage.StateNames.SegmentBackfill, GrainStorage.ProviderName)]
    IPersistentState<SegmentBackfillState> state,
    ICustomerLog log,
    IOptions<SegmentOptions> options,
    ILogger<SegmentBackfillGrain> logger) : Grain, ISegmentBackfillGrain, IRemindable
{
    private const string ReminderName = "backfill";

    /// <summary>Orleans' shortest reminder period: how late a backfill resumes after its silo died.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Customers of a page evaluated at once.</summary>
    private const int Concurrency = 32;

    private IGrainTimer? timer;

    private SegmentBackfillState State => state.State;

    private string Workspace => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Target > State.Completed)
        {
            Run();
        }

        return Task.CompletedTask;
    }

    public async Task Start(long generation)
    {
        if (generation <= State.Target)
        {
            return;
        }

        // A newer generation starts over: customers already visited are evaluated again, under the newer rules.
        State.Target = generation;
        State.Cursor = null;
        State.Processed = 0;
        State.Total = await log.CountCustomersAsync(Workspace);
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        Run();
    }

    public Task<BackfillProgress> Progress() => Task.FromResult(new BackfillProgress(State.Target, State.Completed, State.Processed, State.Total));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // activation resumes the work

    private void Run()
    {
        var period = TimeSpan.FromSeconds((double)options.Value.BackfillPageSize / options.Value.BackfillPerSecond);
        timer ??= this.RegisterGrainTimer(StepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, period) { KeepAlive = true });
    }

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        var target = State.Target;
        IReadOnlyList<string> page;
        try
        {
            page = await log.ListCustomersAsync(Workspace, State.Cursor, options.Value.BackfillPageSize, cancellationToken);
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current }, async (key, _) =>
                await GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Grain(Workspace, key)).RefreshSegments(target));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStepFailed(logger, Workspace, target, State.Cursor, e); // the next tick tries the same page again
            return;
        }

        if (page.Count > 0)
        {
            State.Cursor = page[^1];
            State.Processed += page.Count;
        }
        else
        {
            State.Completed = target;
        }

        await state.WriteStateAsync(cancellationToken);
        if (State.Completed == target)
        {
            // Only once the completion is saved: disposing the timer cancels this callback's token.
            timer?.Dispose();
            timer = null;
            if (await this.GetReminder(ReminderName, CancellationToken.None) is { } reminder)
            {
                await this.UnregisterReminder(reminder, CancellationToken.None); // also while the silo shuts down: the work is done
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The segment backfill of {Workspace} to generation {Generation} failed after {Cursor}; retrying.")]
    private static partial void LogStepFailed(ILogger logger, string workspace, long generation, string? cursor, Exception exception);
}

/// <summary>A backfill's durable state (<see cref="BackfillProgress"/>), with the last customer key done.</summary>
public sealed class SegmentBackfillState
{
    public long Target { get; set; }

    public long Completed { get; set; }

    public string? Cursor { get; set; }

    public long Processed { get; set; }

    public long Total { get; set; }
}
