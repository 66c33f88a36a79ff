using System.Data;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Waymark.Storage.Tests.Support;

namespace Waymark.Storage.Tests;

public sealed class SqliteMembershipTests(SqliteTestDatabase test) : MembershipTests<SqliteTestDatabase>(test);

public sealed class PostgresMembershipTests(PostgresTestDatabase test) : MembershipTests<PostgresTestDatabase>(test);

/// <summary>The clustering queries, driven through Orleans' own membership table and gateway list provider.</summary>
public abstract class MembershipTests<TDatabase>(TDatabase test) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : class, ITestDatabase
{
    private readonly ClusterOptions _cluster = new() { ClusterId = $"cluster-{Guid.NewGuid():N}", ServiceId = "waymark" };

    // Whole seconds: every database stores them exactly, so values read back compare equal.
    private readonly DateTime _now = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public Task InitializeAsync() => SchemaMigrator.MigrateAsync(test.Database, NullLogger.Instance, CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_new_cluster_has_no_members_at_version_zero()
    {
        var table = await CreateTableAsync();
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);

        var data = await table.ReadAllAsync();

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task Inserting_a_silo_bumps_the_version_and_needs_the_current_one()
    {
        var table = await CreateTableAsync();
        var empty = await table.ReadAllAsync();
        var first = Silo(11111, SiloStatus.Joining, proxyPort: 30000);

        Assert.True(await table.InsertRowAsync(first, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(Silo(11112, SiloStatus.Joining), empty.Version.Next()));

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        var (stored, etag) = Assert.Single(data.Members);
        Assert.Equal(data.Version.VersionEtag, etag);
        Assert.Equal(first.SiloAddress, stored.SiloAddress);
        Assert.Equal(first.SiloName, stored.SiloName);
        Assert.Equal(first.HostName, stored.HostName);
        Assert.Equal(first.Status, stored.Status);
        Assert.Equal(first.ProxyPort, stored.ProxyPort);
        Assert.Equal(first.StartTime, stored.StartTime);
        Assert.Equal(first.IAmAliveTime, stored.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, stored.StartTime.Kind);
    }

    [Fact]
    public async Task Inserting_a_silo_that_is_already_there_fails_and_leaves_the_version()
    {
        var table = await CreateTableAsync();
        var silo = Silo(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));

        Assert.False(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));

        Assert.Equal(1, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task Concurrent_inserts_against_one_version_let_exactly_one_through()
    {
        var table = await CreateTableAsync();
        var version = (await table.ReadAllAsync()).Version.Next();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => table.InsertRowAsync(Silo(12000 + i, SiloStatus.Joining), version)));

        Assert.Single(results, inserted => inserted);
        var data = await table.ReadAllAsync();
        Assert.Single(data.Members);
        Assert.Equal(1, data.Version.Version);
    }

    [Fact]
    public async Task Updating_a_silo_needs_the_current_version_and_stores_its_suspicions()
    {
        var table = await CreateTableAsync();
        var silo = Silo(11111, SiloStatus.Joining);
        var suspect = Silo(11112, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));
        var read = await table.ReadRowAsync(silo.SiloAddress);
        var (entry, etag) = Assert.Single(read.Members);

        entry.Status = SiloStatus.Active;
        entry.SuspectTimes = [Tuple.Create(suspect.SiloAddress, _now.AddSeconds(-5))];
        entry.IAmAliveTime = _now.AddSeconds(1);
        Assert.True(await table.UpdateRowAsync(entry, etag, read.Version.Next()));

        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(entry, etag, read.Version.Next()));

        var after = await table.ReadRowAsync(silo.SiloAddress);
        Assert.Equal(2, after.Version.Version);
        var (stored, _) = Assert.Single(after.Members);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(_now.AddSeconds(1), stored.IAmAliveTime);
        Assert.NotNull(stored.SuspectTimes);
        var (suspecter, time) = Assert.Single(stored.SuspectTimes);
        Assert.Equal(suspect.SiloAddress, suspecter);
        Assert.Equal(_now.AddSeconds(-5), time);
    }

    [Fact]
    public async Task Updating_a_silo_that_is_not_there_fails_and_leaves_the_version()
    {
        var table = await CreateTableAsync();
        var data = await table.ReadAllAsync();

        Assert.False(await table.UpdateRowAsync(Silo(11111, SiloStatus.Active), data.Version.VersionEtag, data.Version.Next()));

        Assert.Equal(0, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task Reading_one_silo_returns_only_that_silo_with_the_table_version()
    {
        var table = await CreateTableAsync();
        var wanted = Silo(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(wanted, (await table.ReadAllAsync()).Version.Next()));
        Assert.True(await table.InsertRowAsync(Silo(11112, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        var read = await table.ReadRowAsync(wanted.SiloAddress);
        var missing = await table.ReadRowAsync(Silo(11113, SiloStatus.Active).SiloAddress);

        Assert.Equal(wanted.SiloAddress, Assert.Single(read.Members).Item1.SiloAddress);
        Assert.Equal(2, read.Version.Version);
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);
    }

    [Fact]
    public async Task I_am_alive_moves_the_time_without_changing_the_version()
    {
        var table = await CreateTableAsync();
        var silo = Silo(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));

        silo.IAmAliveTime = _now.AddMinutes(1);
        await table.UpdateIAmAliveAsync(silo);

        var data = await table.ReadAllAsync();
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(_now.AddMinutes(1), Assert.Single(data.Members).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Gateways_are_the_active_silos_that_accept_clients()
    {
        var table = await CreateTableAsync();
        foreach (var silo in new[]
                 {
                     Silo(11111, SiloStatus.Active, proxyPort: 30001),
                     Silo(11112, SiloStatus.Joining, proxyPort: 30002),
                     Silo(11113, SiloStatus.Active, proxyPort: 0),
                 })
        {
            Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));
        }

        var gateways = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new AdoNetClusteringClientOptions { Invariant = test.Database.AdoNetInvariant, ConnectionString = test.Database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(_cluster));
        await gateways.InitializeGatewayListProviderAsync();

        var gateway = Assert.Single(await gateways.GetGatewaysAsync());
        Assert.Equal(30001, gateway.Port);
        Assert.Equal(IPAddress.Loopback.ToString(), gateway.Host);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_that_stopped_reporting_before_the_cutoff()
    {
        var table = await CreateTableAsync();
        var deadLongAgo = Silo(11111, SiloStatus.Dead, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddHours(-1));
        var activeLongAgo = Silo(11112, SiloStatus.Active, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddHours(-1));
        var deadRecently = Silo(11113, SiloStatus.Dead, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddMinutes(-1));
        foreach (var silo in new[] { deadLongAgo, activeLongAgo, deadRecently })
        {
            Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));
        }

        // An emptied suspicion list is stored as '' yet read back as none; the cleanup must treat both alike.
        var read = await table.ReadRowAsync(deadLongAgo.SiloAddress);
        var (entry, etag) = Assert.Single(read.Members);
        entry.SuspectTimes = [];
        Assert.True(await table.UpdateRowAsync(entry, etag, read.Version.Next()));

        await table.CleanupDefunctSiloEntriesAsync(_now.AddMinutes(-30));

        var remaining = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress);
        Assert.Equal([activeLongAgo.SiloAddress, deadRecently.SiloAddress], remaining.OrderBy(a => a.Endpoint.Port));
    }

    [Fact]
    public async Task Cleanup_of_one_silo_removes_it_only_if_its_row_is_as_it_was_read()
    {
        var table = await CreateTableAsync();
        var dead = Silo(11111, SiloStatus.Dead, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddHours(-1));
        Assert.True(await table.InsertRowAsync(dead, (await table.ReadAllAsync()).Version.Next()));
        var (seen, _) = Assert.Single((await table.ReadAllAsync()).Members);

        dead.IAmAliveTime = _now.AddMinutes(-50);
        await table.UpdateIAmAliveAsync(dead);
        Assert.Equal(0, await CleanupOneSiloAsync(seen));
        var (current, _) = Assert.Single((await table.ReadAllAsync()).Members);

        Assert.Equal(1, await CleanupOneSiloAsync(current));
        Assert.Empty((await table.ReadAllAsync()).Members);
    }

    [Fact]
    public async Task Bulk_cleanup_query_removes_dead_silos_that_stopped_reporting_before_the_cutoff()
    {
        var table = await CreateTableAsync();
        var deadLongAgo = Silo(11111, SiloStatus.Dead, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddHours(-1));
        var activeLongAgo = Silo(11112, SiloStatus.Active, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddHours(-1));
        var deadRecently = Silo(11113, SiloStatus.Dead, startTime: _now.AddHours(-2), iAmAliveTime: _now.AddMinutes(-1));
        foreach (var silo in new[] { deadLongAgo, activeLongAgo, deadRecently })
        {
            Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync()).Version.Next()));
        }

        // Orleans runs this key only when CleanupDefunctSiloEntryKey is missing, so call it as Orleans would.
        await test.Database.ExecuteStoredQueryAsync("CleanupDefunctSiloEntriesKey", command =>
        {
            command.AddParameter("DeploymentId", _cluster.ClusterId, DbType.String);
            command.AddParameter("IAmAliveTime", _now.AddMinutes(-30), DbType.DateTime);
        });

        var remaining = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress);
        Assert.Equal([activeLongAgo.SiloAddress, deadRecently.SiloAddress], remaining.OrderBy(a => a.Endpoint.Port));
    }

    [Fact]
    public async Task Deleting_the_cluster_removes_its_members_and_version()
    {
        var table = await CreateTableAsync();
        Assert.True(await table.InsertRowAsync(Silo(11111, SiloStatus.Active), (await table.ReadAllAsync()).Version.Next()));

        await table.DeleteMembershipTableEntriesAsync(_cluster.ClusterId);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);

        var data = await table.ReadAllAsync();
        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    private async Task<AdoNetClusteringTable> CreateTableAsync()
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(_cluster),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = test.Database.AdoNetInvariant, ConnectionString = test.Database.ConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    // The per-silo cleanup query with the parameters Orleans binds: the values it read, to detect a change since.
    // Returns the number of rows removed.
    private Task<int> CleanupOneSiloAsync(MembershipEntry seen) =>
        test.Database.ExecuteStoredQueryAsync("CleanupDefunctSiloEntryKey", command =>
        {
            command.AddParameter("DeploymentId", _cluster.ClusterId, DbType.String);
            command.AddParameter("Address", seen.SiloAddress.Endpoint.Address.ToString(), DbType.AnsiString);
            command.AddParameter("Port", seen.SiloAddress.Endpoint.Port, DbType.Int32);
            command.AddParameter("Generation", seen.SiloAddress.Generation, DbType.Int32);
            command.AddParameter("SuspectTimes", null, DbType.String);
            command.AddParameter("StartTime", seen.StartTime, DbType.DateTime);
            command.AddParameter("IAmAliveTime", seen.IAmAliveTime, DbType.DateTime);
        });

    private MembershipEntry Silo(int port, SiloStatus status, int proxyPort = 0, DateTime? startTime = null, DateTime? iAmAliveTime = null) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, generation: 1),
        SiloName = $"silo-{port}",
        HostName = "host-1",
        Status = status,
        ProxyPort = proxyPort,
        StartTime = startTime ?? _now,
        IAmAliveTime = iAmAliveTime ?? startTime ?? _now,
    };
}
