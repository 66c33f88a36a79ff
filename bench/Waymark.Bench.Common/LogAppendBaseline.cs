using System.Diagnostics;
using Waymark.Storage;
using Waymark.Storage.CustomerLog;

namespace Waymark.Bench.Common;

/// <summary>One run of <see cref="LogAppendBaseline"/>: customers appended, over how long, in how many transactions.</summary>
public sealed record LogAppendRun(long Customers, TimeSpan Elapsed, long Transactions, CpuUse Cpu)
{
    public double CustomersPerSecond => Customers / Elapsed.TotalSeconds;
}

/// <summary>
/// The baseline the runtime benchmarks compare with: <see cref="SqlCustomerLog"/>'s group-committed append alone, on
/// the benchmark's database, with no grain, engine or HTTP. Its own instance (a writer loop of its own, as a silo has
/// one); <c>inFlight</c> loops each append one customer's rounds at a time, as the benchmark shapes them, until the
/// run's time is up.
/// </summary>
public static class LogAppendBaseline
{
    /// <param name="appendCustomer">Appends the rounds of one new customer, each once the one before is durable.</param>
    public static async Task<LogAppendRun> RunAsync(WaymarkDatabase database, int inFlight, TimeSpan duration, Func<SqlCustomerLog, Task> appendCustomer)
    {
        ArgumentNullException.ThrowIfNull(appendCustomer);
        await using var log = new SqlCustomerLog(database);
        var cpu = CpuMeter.Start();
        var started = Stopwatch.GetTimestamp();
        var done = await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            long count = 0;
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                await appendCustomer(log);
                count++;
            }

            return count;
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new LogAppendRun(done.Sum(), elapsed, log.Transactions, cpu.Stop(elapsed));
    }
}
