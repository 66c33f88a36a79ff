using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Grains.Segments;
using Waymark.Model.Time;
using Waymark.Storage.Segments;

namespace Waymark.Grains.Journeys;

/// <summary>
/// <see cref="IJourneyBroadcastGrain"/>. A grain timer ticks every <see cref="Tick"/> while a firing runs or one is
/// planned: it starts a firing when its time has come, then takes one page of members per tick (paced to
/// <see cref="SegmentOptions.BackfillPerSecond"/>, the share of the node that bulk work may take) and saves the cursor.
/// A reminder, registered while anything is planned, reactivates the grain after a crash; the firing resumes at the saved
/// cursor, and customers of the page that was in flight refuse a second entry for the same firing.
/// </summary>
public sealed partial class JourneyBroadcastGrain(
    [PersistentState(GrainStorage.StateNames.JourneyBroadcast, GrainStorage.ProviderName)]
    IPersistentState<JourneyBroadcastState> state,
    ISegmentMembers members,
    JourneyVersionCache versions,
    IOptions<SegmentOptions> options,
    WaymarkClock clock,
    ILogger<JourneyBroadcastGrain> logger) : Grain, IJourneyBroadcastGrain, IRemindable
{
    private const string ReminderName = "broadcast";

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Customers of a page enrolled at once.</summary>
    private const int Concurrency = 32;

    private IGrainTimer? timer;

    private JourneyBroadcastState State => state.State;

    private (string Workspace, string JourneyId) Key => DefinitionKeys.Split(this.GetPrimaryKeyString());

    /// <summary>How often the timer looks: how late a scheduled firing may start, and the pace between pages.</summary>
    private TimeSpan Tick => TimeSpan.FromSeconds(Math.Min(1.0, (double)options.Value.BackfillPageSize / options.Value.BackfillPerSecond));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Current is not null || State.NextAt is not null)
        {
            Run();
        }

        return Task.CompletedTask;
    }

    public async Task Published(int version)
    {
        if (version <= State.Version)
        {
            return;
        }

        var (workspace, journeyId) = Key;
        if (await versions.GetAsync(workspace, journeyId, version) is not { } journey)
        {
            return;
        }

        // A schedule firing of an earlier version that is still running finishes (its customers enter the active version
        // if its trigger still takes them); the members at a publication are this publication's.
        State.Version = version;
        State.Segment = null;
        State.NextAt = null;
        State.Every = null;
        switch (journey.Definition.Trigger)
        {
            case ScheduleTrigger schedule:
                State.Segment = schedule.Segment;
                State.NextAt = schedule.At.ToDateTimeOffset();
                State.Every = schedule.Every;
                break;
            case SegmentTrigger { IncludeExisting: true } existing:
                State.Segment = existing.Segment;
                State.Current = new Firing($"existing/{version}", existing.Segment, ExistingMembers: true, Cursor: null, Enrolled: 0);
                break;
        }

        await state.WriteStateAsync();
        if (State.Current is not null || State.NextAt is not null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
            Run();
        }
    }

    public Task<BroadcastProgress> Progress() =>
        Task.FromResult(new BroadcastProgress(State.Fired, State.Current?.Id, State.Current?.Enrolled ?? 0, State.NextAt));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // activation resumes the work

    private void Run() => timer ??= this.RegisterGrainTimer(StepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Tick) { KeepAlive = true });

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        if (State.Current is null && State.NextAt is { } at && at <= clock.GetUtcNow())
        {
            // Each time of the schedule is a firing of its own, named by that time, so a retry never enrols anyone twice.
            State.Current = new Firing($"schedule/{at.ToUnixTimeSeconds()}", State.Segment!, ExistingMembers: false, Cursor: null, Enrolled: 0);
            State.NextAt = State.Every is { } every ? Next(at, every) : null;
            await state.WriteStateAsync(cancellationToken);
        }

        if (State.Current is not { } firing)
        {
            if (State.NextAt is null)
            {
                await Stop();
            }

            return;
        }

        var (workspace, journeyId) = Key;
        IReadOnlyList<string> page;
        try
        {
            page = await members.PageAsync(workspace, firing.Segment, firing.Cursor, options.Value.BackfillPageSize, cancellationToken);
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Current }, async (key, _) =>
                await GrainFactory.GetGrain<ICustomerGrain>(CustomerKeys.Grain(workspace, key)).EnrollMember(journeyId, firing.Segment, firing.Id, firing.ExistingMembers));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStepFailed(logger, workspace, journeyId, firing.Id, firing.Cursor, e); // the next tick tries the same page again
            return;
        }

        State.Current = page.Count > 0 ? firing with { Cursor = page[^1], Enrolled = firing.Enrolled + page.Count } : null;
        State.Fired += page.Count > 0 ? 0 : 1;
        await state.WriteStateAsync(cancellationToken);
    }

    /// <summary>The next time of the schedule after <paramref name="at"/> that is not already past (missed times while the node was down are skipped, not fired at once).</summary>
    private DateTimeOffset Next(DateTimeOffset at, TimeSpan every)
    {
        var now = clock.GetUtcNow();
        var next = at + every;
        return next > now ? next : next + (every * Math.Ceiling((now - next) / every));
    }

    private async Task Stop()
    {
        timer?.Dispose();
        timer = null;
        if (await this.GetReminder(ReminderName, CancellationToken.None) is { } reminder)
        {
            await this.UnregisterReminder(reminder, CancellationToken.None); // also while the silo shuts down: the work is done
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firing {Firing} of journey {JourneyId} in {Workspace} failed after {Cursor}; retrying.")]
    private static partial void LogStepFailed(ILogger logger, string workspace, string journeyId, string firing, string? cursor, Exception exception);
}

/// <summary>A journey's firings: the version they are for, its segment, the next scheduled time and the firing running.</summary>
public sealed class JourneyBroadcastState
{
    public int Version { get; set; }

    public string? Segment { get; set; }

    public DateTimeOffset? NextAt { get; set; }

    public TimeSpan? Every { get; set; }

    public Firing? Current { get; set; }

    public int Fired { get; set; }
}

/// <summary>One firing: its id (which makes each customer's entry id), its segment, whose members it enrols, and how far it got.</summary>
public sealed record Firing(string Id, string Segment, bool ExistingMembers, string? Cursor, long Enrolled);
