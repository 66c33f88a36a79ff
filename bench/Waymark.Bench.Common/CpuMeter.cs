using System.Diagnostics;
using System.Globalization;

namespace Waymark.Bench.Common;

/// <summary>CPU used over a run, in cores: by this process (gateway, silo and load driver), by local PostgreSQL servers,
/// and by the whole machine (anything else running beside the benchmark shows as the difference).</summary>
public sealed record CpuUse(double Process, double? Postgres, double? Machine = null);

/// <summary>Reads CPU time at the start and the end of a run.</summary>
public sealed class CpuMeter
{
    // /proc counts CPU time in USER_HZ ticks, fixed at 100 per second by the Linux ABI.
    private const double TicksPerSecond = 100;

    private readonly TimeSpan process;
    private readonly double? postgres;
    private readonly double? machine;

    private CpuMeter(TimeSpan process, double? postgres, double? machine) => (this.process, this.postgres, this.machine) = (process, postgres, machine);

    public static CpuMeter Start() => new(ProcessTime(), PostgresSeconds(), MachineSeconds());

    public CpuUse Stop(TimeSpan elapsed)
    {
        var postgresNow = PostgresSeconds();
        var machineNow = MachineSeconds();
        return new CpuUse(
            (ProcessTime() - process).TotalSeconds / elapsed.TotalSeconds,
            postgres is { } before && postgresNow is { } after ? (after - before) / elapsed.TotalSeconds : null,
            machine is { } busyBefore && machineNow is { } busyAfter ? (busyAfter - busyBefore) / elapsed.TotalSeconds : null);
    }

    private static TimeSpan ProcessTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>Seconds all cores of the machine spent busy (neither idle nor waiting for I/O), from <c>/proc/stat</c>;
    /// null where there is none.</summary>
    private static double? MachineSeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in ticks; guest time is counted in user,
        // and steal is the hypervisor's, not this machine's work.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(7).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (ticks.Sum() - ticks[3] - ticks[4]) / TicksPerSecond;
    }

    /// <summary>User and system seconds of every process named postgres on this machine, with those of the children each
    /// has reaped: a backend that ends (a pool closing its connections) moves its time to the postmaster's reaped
    /// children's, so the sum only grows. Null where /proc shows none.</summary>
    private static double? PostgresSeconds()
    {
        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        long ticks = 0;
        var found = false;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // not a process, or one that ended meanwhile
            }

            // "pid (comm) state ppid ...": comm may hold spaces, so fields are counted after its closing parenthesis.
            var close = stat.LastIndexOf(')');
            if (close < 0 || !stat.AsSpan(0, close).EndsWith("(postgres", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = stat[(close + 2)..].Split(' ');
            ticks += fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)); // utime, stime, cutime, cstime
            found = true;
        }

        return found ? ticks / TicksPerSecond : null;
    }
}
