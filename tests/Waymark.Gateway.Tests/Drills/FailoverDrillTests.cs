using Waymark.Drills.Failover;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Drills;

/// <summary>
/// Issue 9's failover drill, reduced for CI: the same code as the full drill
/// (<c>dotnet run -c Release --project drills/Waymark.Drills.Failover</c>) with 200 customers waiting 30 s instead of 2,000
/// waiting a minute. Two silo processes and a gateway in client mode on PostgreSQL; the silo holding most timer shards
/// is killed with SIGKILL just before the waits fall due; every wait must fire on the survivor within 60 s of its due
/// time, each once, with one message each, and the counts must add up.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class FailoverDrillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Waits_of_a_killed_silos_customers_fire_on_the_survivor_within_a_minute_of_their_due_time_each_once()
    {
        var options = new FailoverDrillOptions { Customers = 200, Wait = TimeSpan.FromSeconds(30), EnrolOver = TimeSpan.FromSeconds(8) };

        var report = await FailoverDrill.RunAsync(options, output.WriteLine);

        output.WriteLine(report.ToString());
        Assert.True(report.Passed, report.ToString());
    }
}
