using System.Diagnostics;
using System.Globalization;

namespace Waymark.Bench.Common;

/// <summary>CPU used over a run, in cores: by this process (gateway, silo and load driver) and by local PostgreSQL servers.</summary>
public sealed record CpuUse(double Process, double? Postgres);

/// <summary>Reads CPU time at the start and the end of a run.</summary>
public sealed class CpuMeter
{
    // /proc counts CPU time in USER_HZ ticks, fixed at 100 per second by the Linux ABI.
    private const double TicksPerSecond = 100;

    private readonly TimeSpan process;
    private readonly double? postgres;

    private CpuMeter(TimeSpan process, double? postgres) => (this.process, this.postgres) = (process, postgres);

    public static CpuMeter Start() => new(ProcessTime(), PostgresSeconds());

    public CpuUse Stop(TimeSpan elapsed)
    {
        var postgresNow = PostgresSeconds();
        return new CpuUse(
            (ProcessTime() - process).TotalSeconds / elapsed.TotalSeconds,
            postgres is { } before && postgresNow is { } after ? (after - before) / elapsed.TotalSeconds : null);
    }

    private static TimeSpan ProcessTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User and system seconds of every process named postgres on this machine; null where /proc shows none.</summary>
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
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
            found = true;
        }

        return found ? ticks / TicksPerSecond : null;
    }
}
