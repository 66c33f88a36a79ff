using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Waymark.Drills.Common;
using Waymark.Testing;

namespace Waymark.Drills.Crash;

/// <summary>
/// The crash drill (issue 9): on a fresh PostgreSQL database, the gateway (hosting its silo) runs as a child process and
/// takes a steady load of events that drive customers through <see cref="DrillJourney"/> (waits, a waitEvent with a
/// timeout, webhook sends to a real loopback receiver). Meanwhile it is killed with SIGKILL at random moments and
/// started again. Then the load stops, everything settles, and <see cref="DrillChecks"/> hold the API's answers (and
/// where the API cannot say, the database's) against what was acknowledged, delivered and killed.
/// </summary>
public static class CrashDrill
{
    private const string WriteKey = "crash-drill-write-key-01";
    private const string AdminKey = "crash-drill-admin-key-01";
    private const string WebhookSecret = "whsec-crash-drill-0123456789";

    /// <summary>How long after the customers settled the counts (flushed about once a second) and the stale wake-ups may take to settle too.</summary>
    private static readonly TimeSpan Trailing = TimeSpan.FromSeconds(30);

    /// <summary>Runs the drill against the gateway whose entry assembly is <paramref name="gatewayDll"/>; <paramref name="log"/> gets its progress.</summary>
    public static async Task<CrashDrillReport> RunAsync(CrashDrillOptions options, string gatewayDll, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        void Log(string line) => log($"[{clock.Elapsed.TotalSeconds,6:F1} s] {line}");
        Log($"seed {options.Seed} (--seed {options.Seed} replays this run's load, kill moments and refusals); "
            + $"{options.Kills} kills, {options.Customers} customers over {options.EffectiveLoadDuration.TotalSeconds:F0} s");

        var random = new Random(options.Seed);
        var plan = LoadPlan.Make(options.Customers, options.EffectiveLoadDuration, random);
        var moments = Enumerable.Range(0, options.Kills).Select(k => k > 0 && random.NextDouble() < options.StartKillShare
                ? new KillMoment(DuringStart: true, options.MaxStartKill * random.NextDouble(), options.MaxDowntime * random.NextDouble())
                : new KillMoment(DuringStart: false, options.MinUptime + ((options.MaxUptime - options.MinUptime) * random.NextDouble()), options.MaxDowntime * random.NextDouble()))
            .ToList();

        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await WebhookReceiver.StartAsync(WebhookSecret, id => Refused(options.Seed, id, options.RefusedShare), maxAnswerDelay: TimeSpan.FromMilliseconds(100));
        await using var gateway = new GatewayProcess(gatewayDll, new Dictionary<string, string?>
        {
            ["Waymark:Storage:Provider"] = "postgres",
            // Each start keeps its own pool; a killed one's connections end with it.
            ["ConnectionStrings:Waymark"] = database.ConnectionString + ";Maximum Pool Size=20",
            ["Waymark:Bootstrap:WriteKey"] = WriteKey,
            ["Waymark:Bootstrap:AdminKey"] = AdminKey,
            // Two lines of information per webhook request would bury the warnings the report lists.
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        });
        var report = new CrashDrillReport(options, plan);
        try
        {
            report.FirstStart = await gateway.StartAsync(TimeSpan.FromMinutes(3));
            Log($"first start ready after {report.FirstStart.TotalSeconds:F1} s");
            using var api = new ManagementApi(gateway.BaseAddress, AdminKey, "crash drill", timeout: TimeSpan.FromSeconds(60), connectTimeout: TimeSpan.FromSeconds(5));
            await api.ConfigureWebhookAsync(receiver.Url, WebhookSecret);
            await api.PublishAsync(DrillJourney.Id, DrillJourney.Canvas());
            Log($"journey {DrillJourney.Id} published, webhook at {receiver.Url}; load: {plan.Requests.Count:N0} calls, {plan.Events.Count():N0} events");

            using var writer = new RetryingWriter(gateway.BaseAddress, WriteKey) { GiveUpAfter = TimeSpan.FromMinutes(5) };
            using var load = new EventLoad(plan, writer);
            var loading = load.RunAsync();
            await KillAsync(gateway, moments, load, report, Log);
            await loading;
            report.Retried = writer.Retried;
            report.Failures = new Dictionary<string, int>(writer.Failures, StringComparer.Ordinal);
            report.LoadDone = clock.Elapsed;
            Log($"load done: {load.Acknowledged.Count:N0} calls acknowledged, {writer.Retried:N0} attempts retried ({report.FailureSummary})");

            var settleClock = Stopwatch.StartNew();
            var customers = await SettleAsync(api, plan.Customers, options.SettleWithin, Log);
            report.Settle = settleClock.Elapsed;
            var stats = await UntilAsync(() => api.StatsAsync(DrillJourney.Id), s => DrillChecks.StatsMatch(s, customers.Values));
            var waiting = customers.Values.Count(c => c.Runs.Count > 0);
            var wakeUps = await UntilAsync(() => PendingWakeUp.ReadAllAsync(database.ConnectionString), rows => rows.Count == waiting);
            report.Observation = new DrillObservation(plan, [.. load.Acknowledged], report.Crashes, customers, receiver.Deliveries, stats, wakeUps);
            report.Checks = DrillChecks.Run(report.Observation);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or TaskCanceledException)
        {
            report.Aborted = e.ToString();
        }

        report.Elapsed = clock.Elapsed;
        report.GatewayWarnings = Warnings(gateway);
        report.GatewayTail = gateway.Tail(40);
        if (options.GatewayLog is { } file)
        {
            await File.WriteAllLinesAsync(file, gateway.Output());
        }

        return report;
    }

    /// <summary>
    /// Kills the gateway at each moment and starts it again: most kills come a random while after the gateway was ready,
    /// some while a restart is still under way (its silo already waking customers and sending, its HTTP side not yet
    /// ready). Records each kill's crash window, from the kill until a start was ready again.
    /// </summary>
    private static async Task KillAsync(GatewayProcess gateway, IReadOnlyList<KillMoment> moments, EventLoad load, CrashDrillReport report, Action<string> log)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var starting = Task.FromResult(new Started(DateTimeOffset.UtcNow, report.FirstStart));
        var open = new List<(int Number, DateTimeOffset KilledAt, DateTimeOffset DeadAt, TimeSpan Uptime, bool DuringStart)>();
        foreach (var (moment, number) in moments.Select((m, i) => (m, i + 1)))
        {
            await (moment.DuringStart ? Task.WhenAny(starting, Task.Delay(moment.After)) : (Task)starting);
            if (starting.IsCompleted)
            {
                Close(await starting); // a start that failed by itself ends the drill here
                await Task.Delay(moment.DuringStart ? TimeSpan.Zero : moment.After);
            }

            var duringStart = !starting.IsCompleted;
            var killedAt = DateTimeOffset.UtcNow;
            await gateway.KillAsync();
            var deadAt = DateTimeOffset.UtcNow;
            if (duringStart)
            {
                // The killed start ends in an error, as it never got ready; the window stays open until a start does.
                await starting.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            var uptime = killedAt - (duringStart ? startedAt : starting.Result.ReadyAt);
            open.Add((number, killedAt, deadAt, uptime, duringStart));
            log($"kill {number}, {uptime.TotalSeconds:F1} s after the gateway {(duringStart ? "started, before it was ready" : "was ready")} "
                + $"({load.Acknowledged.Count:N0} calls acknowledged so far)");
            await Task.Delay(moment.Down);
            startedAt = DateTimeOffset.UtcNow;
            starting = StartAsync(gateway);
        }

        Close(await starting);

        // Closes the windows a start ended (once: it empties the list), as soon as it is ready.
        void Close(Started started)
        {
            foreach (var kill in open)
            {
                report.Crashes.Add(new CrashWindow(kill.Number, kill.KilledAt, kill.DeadAt, started.ReadyAt, kill.Uptime, started.Took, kill.DuringStart));
                log($"  kill {kill.Number}: ready again {(started.ReadyAt - kill.KilledAt).TotalSeconds:F1} s after it (the start took {started.Took.TotalSeconds:F1} s)");
            }

            open.Clear();
        }
    }

    /// <summary>Starts the gateway; completes when it is ready, and fails when it is killed first.</summary>
    private static async Task<Started> StartAsync(GatewayProcess gateway)
    {
        var took = await gateway.StartAsync(TimeSpan.FromMinutes(3));
        return new Started(DateTimeOffset.UtcNow, took);
    }

    /// <param name="DuringStart">Whether the kill falls inside the restart before it (<paramref name="After"/> its process started), else <paramref name="After"/> the gateway was ready.</param>
    /// <param name="Down">How long the killed gateway stays down before it is started again.</param>
    private sealed record KillMoment(bool DuringStart, TimeSpan After, TimeSpan Down);

    /// <summary>A start that got ready: when, and how long it took.</summary>
    private sealed record Started(DateTimeOffset ReadyAt, TimeSpan Took);

    /// <summary>Reads every customer until its run has reached its place for good (or time is up); the last reads are what the checks see.</summary>
    private static async Task<Dictionary<string, CustomerState>> SettleAsync(ManagementApi api, IReadOnlyList<string> customers, TimeSpan within, Action<string> log)
    {
        var states = new ConcurrentDictionary<string, CustomerState>(StringComparer.Ordinal);
        var pending = customers.ToList();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (customer, _) => states[customer] = await CustomerState.ReadAsync(api, customer));
            pending = [.. pending.Where(c => !states[c].Settled)];
            if (pending.Count == 0)
            {
                log($"every customer settled after {deadline.Elapsed.TotalSeconds:F1} s");
                return new(states, StringComparer.Ordinal);
            }

            if (deadline.Elapsed > within)
            {
                log($"{pending.Count} customers had not settled after {within.TotalSeconds:F0} s, such as {pending[0]}: {states[pending[0]].Describe()}");
                return new(states, StringComparer.Ordinal);
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds or <see cref="Trailing"/> has passed; returns the last read.</summary>
    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || deadline.Elapsed > Trailing)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    /// <summary>Whether the receiver refuses a message id's first delivery: a seeded share, the same on every replay.</summary>
    private static bool Refused(int seed, string messageId, double share) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{messageId}")), 0) < share * uint.MaxValue;

    /// <summary>The gateway's warnings and errors over all its starts, by message, most frequent first.</summary>
    private static List<(string Message, int Count)> Warnings(GatewayProcess gateway) =>
        [.. gateway.Output()
            .Where(l => l.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
                || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))
            .Select(Message)
            .GroupBy(m => m, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2)];

    /// <summary>
    /// A JSON console line's level, category and message template (so one kind of complaint counts as one, whatever its
    /// values), else its message's first line; a line that is not JSON as it is, shortened.
    /// </summary>
    private static string Message(string line)
    {
        var json = line.IndexOf('{', StringComparison.Ordinal);
        try
        {
            var entry = JsonDocument.Parse(line[json..]).RootElement;
            var message = entry.TryGetProperty("State", out var state) && state.TryGetProperty("{OriginalFormat}", out var format)
                ? format.GetString()
                : entry.GetProperty("Message").GetString();
            return $"{entry.GetProperty("LogLevel").GetString()} {entry.GetProperty("Category").GetString()}: {(message ?? "").Split('\n')[0]}";
        }
        catch (Exception e) when (e is JsonException or ArgumentOutOfRangeException or KeyNotFoundException or InvalidOperationException)
        {
            return line.Length <= 300 ? line : line[..300] + "…";
        }
    }
}
