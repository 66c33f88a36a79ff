using System.Globalization;
using Waymark.Drills.Common;

namespace Waymark.Drills.Failover;

/// <summary>
/// What one run of the failover drill does: how many customers enter the journey, over how long, how long they wait,
/// how long before the first wait is due the silo dies, and how late a wait may fire.
/// </summary>
public sealed record FailoverDrillOptions
{
    /// <summary>Customers entering the journey, their triggers spread evenly over <see cref="EnrolOver"/>.</summary>
    public int Customers { get; init; } = 2000;

    /// <summary>The journey's wait: every customer's wake-up is due this long after it entered.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the triggers are spread over, so the waits fall due over as long a time, before, during and after
    /// the cluster notices the death.</summary>
    public TimeSpan EnrolOver { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before the first wait is due the silo is killed: a wait due right after the kill is the one that
    /// waits longest for the failure to be detected.</summary>
    public TimeSpan KillLead { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The latest a wait may fire after its due time (the product's bound).</summary>
    public TimeSpan Bound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timer-wheel shards (<c>Waymark:Timers:Shards</c>) of every silo.</summary>
    public int Shards { get; init; } = 8;

    /// <summary>Whether the silo killed is the one holding most timer shards, so the survivor must take them over; else
    /// the one holding fewest, so the survivor's shards must wake customers whose activations died.</summary>
    public bool KillShardHolder { get; init; } = true;

    /// <summary>Where to write everything each process wrote (silo-1.log, silo-2.log, gateway.log) and each customer's
    /// outcome (customers.csv); nowhere when null.</summary>
    public string? LogDirectory { get; init; }

    public const string Usage = """
        Waymark failover drill: two silo processes and a gateway in client mode on a fresh PostgreSQL database; customers
        enter a journey that waits and then sends a webhook; one silo is killed with SIGKILL before the waits are due; then
        every wait must fire on the survivor within the bound of its due time, each exactly once.

          dotnet run -c Release --project drills/Waymark.Drills.Failover -- [options]

          --customers N      customers entering the journey (default 2000)
          --wait S           the journey's wait in seconds (default 60)
          --enrol-over S     seconds the customers' triggers are spread over (default 30; less than the wait)
          --kill-lead S      the silo dies this many seconds before the first wait is due (default 2)
          --bound S          the latest, in seconds after its due time, a wait may fire (default 60)
          --shards N         timer-wheel shards (default 8)
          --victim V         shards: kill the silo holding most timer shards (default); customers: the one holding
                             fewest, whose customers' wake-ups then come from the survivor's shards
          --logs DIR         write what each process wrote to DIR (silo-1.log, silo-2.log, gateway.log), and each
                             customer's outcome (customers.csv)

        The PostgreSQL server is WAYMARK_TEST_POSTGRES (default Host=127.0.0.1;Port=5432;Username=waymark;
        Password=waymark;Database=waymark_test; scripts/setup-postgres makes it ready). Exit code 0 when every check
        passes, 1 when one fails, 2 on bad arguments.
        """;

    /// <summary>The options the command line names; throws <see cref="ArgumentException"/> with the reason for a bad one.</summary>
    public static FailoverDrillOptions Parse(IReadOnlyList<string> args)
    {
        var parsed = DrillArguments.Parse(args, new FailoverDrillOptions(), NumberStyles.None, (options, option) => option.Name switch
        {
            "--customers" => options with { Customers = option.Number(min: 1) },
            "--wait" => options with { Wait = option.Seconds(min: 5) },
            "--enrol-over" => options with { EnrolOver = option.Seconds(min: 0) },
            "--kill-lead" => options with { KillLead = option.Seconds(min: 0) },
            "--bound" => options with { Bound = option.Seconds(min: 1) },
            "--shards" => options with { Shards = option.Number(min: 1) },
            "--logs" => options with { LogDirectory = option.Value },
            "--victim" => options with
            {
                KillShardHolder = option.Value switch
                {
                    "shards" => true,
                    "customers" => false,
                    _ => throw new ArgumentException($"--victim takes shards or customers, not '{option.Value}'."),
                },
            },
            _ => null,
        });

        return parsed.EnrolOver + parsed.KillLead < parsed.Wait
            ? parsed
            : throw new ArgumentException("--enrol-over plus --kill-lead must be less than --wait: every customer must be waiting when the silo dies.");
    }
}
