using System.Globalization;
using Waymark.Drills.Common;

namespace Waymark.Drills.Crash;

/// <summary>
/// What one run of the crash drill does: how many kills, how many customers over how long a load, and the seed every
/// random choice comes from (the load's plan, the kill moments, the receiver's refusals), so a failed run can be replayed.
/// </summary>
public sealed record CrashDrillOptions
{
    public const string Usage = """
        Waymark crash drill: the gateway (hosting its silo) on a fresh PostgreSQL database, killed with SIGKILL at random
        moments under a steady load of events and restarted, then checked through its API.

          dotnet run -c Release --project drills/Waymark.Drills.Crash -- [options]

          --kills N          SIGKILLs, each followed by a restart (default 10)
          --customers N      customers entering the drill's journey (default 2000)
          --seed S           the seed of every random choice, printed by each run (default: a new one)
          --load-seconds S   how long the load lasts (default: kills x about 16 s, plus 10 s)
          --max-uptime S     a kill comes at most this many seconds after the gateway was ready (default 10);
                             one kill in five falls inside a restart instead, before it is ready
          --gateway-log FILE write the gateway's output (its last 20,000 lines over all starts) to FILE

        The PostgreSQL server is WAYMARK_TEST_POSTGRES (default Host=127.0.0.1;Port=5432;Username=waymark;
        Password=waymark;Database=waymark_test; scripts/setup-postgres makes it ready). Exit code 0 when every check
        passes, 1 when one fails, 2 on bad arguments.
        """;

    /// <summary>A restart typically takes this long here: it sizes the default load so the kills fall inside it.</summary>
    private static readonly TimeSpan TypicalRestart = TimeSpan.FromSeconds(10);

    /// <summary>SIGKILLs of the gateway, each followed by a restart on the same database.</summary>
    public int Kills { get; init; } = 10;

    /// <summary>Customers entering the journey, their triggers spread evenly over the load.</summary>
    public int Customers { get; init; } = 2000;

    public int Seed { get; init; } = Random.Shared.Next();

    /// <summary>How long the steady load of events lasts; by default long enough for every kill to fall inside it.</summary>
    public TimeSpan? LoadDuration { get; init; }

    /// <summary>Most kills come a random while between <see cref="MinUptime"/> and <see cref="MaxUptime"/> after the gateway was ready.</summary>
    public TimeSpan MinUptime { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan MaxUptime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The share of kills (after the first) that fall inside a restart, a random moment up to <see cref="MaxStartKill"/> after its process started, if it is not ready by then.</summary>
    public double StartKillShare { get; init; } = 0.2;

    public TimeSpan MaxStartKill { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The longest a killed gateway stays down before it is started again (a random share of it).</summary>
    public TimeSpan MaxDowntime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the drill waits, once the load has stopped, for every run to reach its place and every send its answer.</summary>
    public TimeSpan SettleWithin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The share of message ids whose first delivery the receiver refuses with 503, to exercise the channel's retries.</summary>
    public double RefusedShare { get; init; } = 0.05;

    /// <summary>Where to write everything the gateway printed over all its starts (its last 20,000 lines), for a closer look; none by default.</summary>
    public string? GatewayLog { get; init; }

    /// <summary>The load's length: as given, else enough for the kills and typical restarts, plus 10 s.</summary>
    public TimeSpan EffectiveLoadDuration => LoadDuration ?? (Kills * (((MinUptime + MaxUptime) / 2) + (MaxDowntime / 2) + TypicalRestart)) + TimeSpan.FromSeconds(10);

    /// <summary>
    /// The options the command line names; throws <see cref="ArgumentException"/> with the reason for a bad one. Numbers
    /// may carry a sign, as the seed may be negative.
    /// </summary>
    public static CrashDrillOptions Parse(IReadOnlyList<string> args) =>
        DrillArguments.Parse(args, new CrashDrillOptions(), NumberStyles.AllowLeadingSign, (options, option) => option.Name switch
        {
            "--kills" => options with { Kills = option.Number(min: 0) },
            "--customers" => options with { Customers = option.Number(min: 1) },
            "--seed" => options with { Seed = option.Number(min: int.MinValue) },
            "--load-seconds" => options with { LoadDuration = option.Seconds(min: 1) },
            "--max-uptime" => options with { MaxUptime = option.Seconds(min: 1) },
            "--gateway-log" => options with { GatewayLog = option.Value },
            _ => null,
        });
}
