using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Bench.Common;
using Waymark.Storage;
using Waymark.Storage.CustomerLog;

namespace Waymark.Bench.Runtime;

/// <summary>
/// One run of the runtime's load on one database, on a gateway of its own. Customers enter a journey of the run's own
/// (the entering rate) and wait: the first <see cref="BenchSettings.Burst"/> of them until the same instant a day ahead,
/// the next <see cref="BenchSettings.Customers"/> until instants spread evenly over the window an hour after it. With all
/// of them waiting, memory is measured with their grains active and again once the burst's grains are collected. Then
/// business time moves to the burst's instant (capacity: every wake-up activates its customer), a baseline run follows,
/// and business time moves to just before the window (lateness, with every one of those customers waiting, their
/// grains active).
/// </summary>
internal sealed class RuntimeLoad(BenchGateway gateway, BenchDatabase bench, BenchSettings settings, int run)
{
    /// <summary>Customers that go through a journey of their own first: JIT, pools, caches and the journey caches.</summary>
    private const int WarmUpCustomers = 1_000;

    /// <summary>The timer wheel's parallelism: 8 shards (the default) × 64 calls in flight each (a constant of the shard).</summary>
    public const int WakeUpsInFlight = 8 * 64;

    /// <summary>How long a warm-up customer grain must have been idle for the forced collection to take it.</summary>
    private static readonly TimeSpan IdleAge = TimeSpan.FromSeconds(5);

    /// <summary>Between the burst's entering and the spread's: the collection tells them apart by their idle time.</summary>
    private static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(10);

    /// <summary>How far the window's first wait lies ahead of business time once the clock moved.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    private readonly List<string> notes = [];

    /// <summary>The run's journeys: the runs share the database, and each counts its own steps.</summary>
    private readonly string journey = $"bench-journey-{run}";
    private readonly string warmUpJourney = $"bench-warm-up-{run}";

    private WaymarkDatabase Database => gateway.Services.GetRequiredService<WaymarkDatabase>();

    private SqlCustomerLog Log => (SqlCustomerLog)gateway.Services.GetRequiredService<ICustomerLog>();

    private IGrainFactory Grains => gateway.Services.GetRequiredService<IGrainFactory>();

    private BusinessClock Clock => gateway.Clock;

    /// <summary>The run's first customer: each run has customers of its own, the burst first, then the spread, then the
    /// warm-up.</summary>
    private int First => (run - 1) * (Waiting + WarmUpCustomers);

    /// <summary>Customers <see cref="First"/> to <see cref="First"/> + <see cref="Burst"/> - 1 wait for the capacity load.</summary>
    private int Burst => settings.Burst;

    /// <summary>The <see cref="Spread"/> customers after the burst wait for the lateness load.</summary>
    private int Spread => settings.Customers;

    private int Waiting => Burst + Spread;

    public async Task<RunResult> MeasureAsync()
    {
        using var journeys = new BenchJourneys(gateway.BaseAddress);
        using var events = new EventLoad(gateway.BaseAddress, settings);
        await journeys.PublishAsync(warmUpJourney, BenchJourneys.Canvas(warmUpJourney, Trigger(warmUpJourney)));
        await journeys.PublishAsync(journey, BenchJourneys.Canvas(journey, Trigger(journey)));

        await Progress($"warming up: {WarmUpCustomers:N0} customers through a journey of their own");
        var soon = Whole(Clock.GetUtcNow().AddSeconds(2));
        await events.EnterAsync(Trigger(warmUpJourney), First + Waiting, WarmUpCustomers, _ => soon);
        await DrainedAsync(journeys, warmUpJourney, WarmUpCustomers);
        await Task.Delay(IdleAge);
        await CollectIdleAsync(IdleAge, 0);
        var before = MemorySample.Take();

        // A day's wait, and the window an hour later: nobody is due before the clock moves.
        var burstDue = Whole(Clock.GetUtcNow().AddDays(1));
        var windowStart = burstDue.AddHours(1);
        DateTimeOffset Due(int customer) => IsBurst(customer) ? burstDue : Whole(windowStart + (settings.Window * (customer - First - Burst) / Spread));

        // The burst enters first and the spread a while later, so that the burst alone has been idle long enough for
        // the collection below.
        await Progress($"entering {Waiting:N0} customers");
        var meter = Meter();
        await events.EnterAsync(Trigger(journey), First, Burst, Due);
        var burstEntering = await meter.StopAsync();
        await Task.Delay(IdleGap);
        meter = Meter();
        var spreadStarted = Stopwatch.GetTimestamp();
        await events.EnterAsync(Trigger(journey), First + Burst, Spread, Due);
        var spreadEntering = await meter.StopAsync();
        var entering = new EnterResult(Waiting, burstEntering, spreadEntering);
        await UntilAsync(async () => (await journeys.CountsAsync(journey)).Waiting >= Waiting, $"{Waiting:N0} customers waiting");
        var activeGrains = await CustomerGrainsAsync();
        var active = MemorySample.Take();
        await Progress($"{entering.StepsPerSecond:N0} steps/s entering; {activeGrains:N0} customer grains active, heap {MiB(before.HeapBytes)} → {MiB(active.HeapBytes)} MiB; collecting the burst's grains");

        // An idle time every customer of the burst has reached and no customer of the spread.
        meter = Meter();
        var left = await CollectIdleAsync(Stopwatch.GetElapsedTime(spreadStarted) + (IdleGap / 2), Spread);
        var collection = await meter.StopAsync();
        var idle = MemorySample.Take();
        var memory = new MemoryResult(Waiting, activeGrains - left, before, active, idle, activeGrains, left, collection);
        await Progress($"collected {activeGrains - left:N0} in {collection.Elapsed.TotalSeconds:0.0} s ({left:N0} left), heap {MiB(idle.HeapBytes)} MiB; {Burst:N0} waits due now");

        await bench.AnalyzeAsync("waymark_timers", "waymark_customer_log", "orleansgrainstate");
        var capacity = await CapacityAsync(journeys, burstDue);
        await Progress($"capacity: {capacity.PeakStepsPerSecond:N0} steps/s while stepping, {capacity.SustainedStepsPerSecond:N0} steps/s with the messages");

        // Right after the capacity load, so that a drift of the machine touches both alike.
        var baseline = await (await LogBaseline.FromLogAsync(Database, Log, journey, First, WakeUpsInFlight, $"r{run}")).RunAsync(settings.BaselineTime);
        await Progress($"baseline: {baseline.StepsPerSecond:N0} steps/s, {baseline.AppendsPerCommit:N0} appends per commit");

        await Progress($"{Spread:N0} waits due over {settings.Window.TotalSeconds} s");
        await bench.AnalyzeAsync("waymark_timers", "waymark_customer_log", "orleansgrainstate");
        var lateness = await LatenessAsync(journeys, windowStart, Due);
        await Progress($"lateness: p50 {lateness.WakeUps.P50:N0} ms, p99 {lateness.WakeUps.P99:N0} ms");
        return new RunResult(entering, memory, capacity, baseline, lateness, notes);
    }

    /// <summary>Moves business time to the burst's instant, and measures until every run of the burst has left and
    /// every one of their messages has been recorded.</summary>
    private async Task<CapacityResult> CapacityAsync(BenchJourneys journeys, DateTimeOffset due)
    {
        var meter = Meter();
        Clock.MoveTo(due);
        await DrainedAsync(journeys, journey, Waiting, Burst);
        var use = await meter.StopAsync();

        var (woken, messages) = await ReadRunsAsync(IsBurst, Burst);
        var stepsElapsed = woken.Max(i => i.At) - due;
        var perSecond = new double[(int)stepsElapsed.TotalSeconds]; // whole seconds only: the last, partial one is left out
        foreach (var item in woken)
        {
            var second = (int)(item.At - due).TotalSeconds;
            if (second < perSecond.Length)
            {
                perSecond[second] += BenchJourneys.StepsAfterWait;
            }
        }

        return new CapacityResult(
            Burst, stepsElapsed, messages.Max(i => i.At) - due, perSecond,
            Lateness.Of([.. woken.Select(i => (i.At - due).TotalMilliseconds)]), use);
    }

    /// <summary>Moves business time to just before the window, and measures until every run has left and every
    /// message has been recorded.</summary>
    private async Task<LatenessResult> LatenessAsync(BenchJourneys journeys, DateTimeOffset windowStart, Func<int, DateTimeOffset> due)
    {
        var meter = Meter();
        Clock.MoveTo(windowStart - Lead);
        await DrainedAsync(journeys, journey, Waiting, Waiting);
        var use = await meter.StopAsync();

        var (woken, messages) = await ReadRunsAsync(customer => customer >= First + Burst && customer < First + Waiting, Spread);
        return new LatenessResult(
            Spread, settings.Window,
            Lateness.Of([.. woken.Select(i => (i.At - due(i.Customer)).TotalMilliseconds)]),
            Lateness.Of([.. messages.Select(i => (i.At - due(i.Customer)).TotalMilliseconds)]),
            use);
    }

    /// <summary>The wake-up rounds (the <c>moved</c> items out of the wait) and the messages of these customers, from
    /// the log; every customer must have both once, as the statistics said.</summary>
    private async Task<(List<LoggedItem> Woken, List<LoggedItem> Messages)> ReadRunsAsync(Func<int, bool> of, int customers)
    {
        var woken = (await LogReader.ItemsAsync(Database, "moved", journey))
            .Where(i => of(i.Customer) && i.Text("from") == BenchJourneys.WaitNode).ToList();
        var messages = (await LogReader.ItemsAsync(Database, "message", journey)).Where(i => of(i.Customer)).ToList();
        if (woken.Count < customers || messages.Count < customers)
        {
            throw new InvalidOperationException($"The log holds {woken.Count:N0} wake-up rounds and {messages.Count:N0} messages for {customers:N0} customers.");
        }

        if (woken.Count > customers || messages.Count > customers)
        {
            notes.Add($"{woken.Count - customers:N0} wake-up rounds and {messages.Count - customers:N0} messages more than customers.");
        }

        return (woken, messages);
    }

    /// <summary>Until <paramref name="finished"/> of the journey's <paramref name="entered"/> runs took all their steps
    /// (the others waiting), and the wheel holds no outbox wake-up: the last message is recorded.</summary>
    private async Task DrainedAsync(BenchJourneys journeys, string id, int entered, int? finished = null)
    {
        var steps = ((long)entered * BenchJourneys.StepsBeforeWait) + ((long)(finished ?? entered) * BenchJourneys.StepsAfterWait);
        await UntilAsync(async () => (await journeys.CountsAsync(id)).Steps >= steps, $"{steps:N0} steps in {id}");
        await UntilAsync(async () => await OutboxWakeUpsAsync() == 0, "every message to be recorded");
    }

    /// <summary>Messages decided and not yet recorded: their outbox wake-ups (the baseline's are in shards no silo runs).</summary>
    private async Task<long> OutboxWakeUpsAsync()
    {
        await using var connection = Database.CreateConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM waymark_timers WHERE shard < 1000 AND tag = 'outbox'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Deactivates the activations idle for <paramref name="age"/> or longer, as Orleans' collector does to those
    /// idle for its collection age (15 minutes by default); returns the customer grains still active once no more than
    /// <paramref name="expected"/> are, or once their number has not moved for 10 s.</summary>
    private async Task<int> CollectIdleAsync(TimeSpan age, int expected)
    {
        try
        {
            await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(age);
        }
        catch (TimeoutException)
        {
            // It answers once the collector has deactivated everything it took, which for a crowd takes longer than
            // Orleans' call timeout; the collection goes on regardless.
        }

        var started = Stopwatch.GetTimestamp();
        var (last, lastChange) = (int.MaxValue, Stopwatch.GetTimestamp());
        while (true)
        {
            int now;
            try
            {
                now = await CustomerGrainsAsync();
            }
            catch (TimeoutException) when (Stopwatch.GetElapsedTime(started) < Patience)
            {
                continue; // the management grain is still busy with the collection
            }

            if (now != last)
            {
                (last, lastChange) = (now, Stopwatch.GetTimestamp());
            }

            if (now <= expected || Stopwatch.GetElapsedTime(lastChange) > TimeSpan.FromSeconds(10))
            {
                if (now > expected)
                {
                    notes.Add($"{now - expected:N0} customer grains more than expected were still active after a forced collection.");
                }

                return now;
            }

            await Task.Delay(250);
        }
    }

    private async Task<int> CustomerGrainsAsync()
    {
        var statistics = await Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("CustomerGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await done())
        {
            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new TimeoutException($"Waited {Patience} for {what}.");
            }

            await Task.Delay(250);
        }
    }

    private PhaseMeter Meter() => PhaseMeter.Start(Log, gateway.Logs);

    private Task Progress(string line) => BenchRun.Progress($"{bench.Name} run {run}: {line}");

    private bool IsBurst(int customer) => customer >= First && customer < First + Burst;

    private static string Trigger(string id) => id.Replace('-', '_');

    /// <summary>Due times are whole milliseconds, as the events carry them.</summary>
    private static DateTimeOffset Whole(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);
}
