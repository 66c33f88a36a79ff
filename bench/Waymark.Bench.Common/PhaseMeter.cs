using System.Diagnostics;
using Waymark.Storage.CustomerLog;

namespace Waymark.Bench.Common;

/// <summary>What the process did during one phase of the load, beside its rates: CPU, the most thread-pool threads
/// (the pool adds threads when work blocks them), the customer log's commits, and the gateway's warnings and errors.</summary>
public sealed record PhaseUse(TimeSpan Elapsed, CpuUse Cpu, int MaxThreads, long Commits, IReadOnlyList<LoggedKind> Logs);

/// <summary>Measures one phase from <see cref="Start"/> to <see cref="StopAsync"/>.</summary>
public sealed class PhaseMeter
{
    private readonly SqlCustomerLog log;
    private readonly LogTally logs;
    private readonly CpuMeter cpu;
    private readonly long started;
    private readonly long commits;
    private readonly Task<int> threads;
    private volatile bool stopped;

    private PhaseMeter(SqlCustomerLog log, LogTally logs)
    {
        this.log = log;
        this.logs = logs;
        logs.Take(); // what came before belongs to another phase
        commits = log.Transactions;
        cpu = CpuMeter.Start();
        started = Stopwatch.GetTimestamp();
        threads = Task.Run(SampleThreadsAsync);
    }

    public static PhaseMeter Start(SqlCustomerLog log, LogTally logs) => new(log, logs);

    public async Task<PhaseUse> StopAsync()
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var used = cpu.Stop(elapsed);
        stopped = true;
        var maxThreads = await threads;
        return new PhaseUse(elapsed, used, maxThreads, log.Transactions - commits, logs.Take());
    }

    private async Task<int> SampleThreadsAsync()
    {
        var max = ThreadPool.ThreadCount;
        while (!stopped)
        {
            max = Math.Max(max, ThreadPool.ThreadCount);
            await Task.Delay(100);
        }

        return max;
    }
}
