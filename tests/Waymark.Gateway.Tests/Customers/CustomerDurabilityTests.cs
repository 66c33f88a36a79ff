using Microsoft.Data.Sqlite;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Customers;

/// <summary>Acknowledged means durable: what was answered 200 is there after a restart, on both embedded and server storage.</summary>
public sealed class CustomerDurabilityTests : IDisposable
{
    private const string WriteKey = "durability-write-key-01";
    private const string AdminKey = "durability-admin-key-01";
    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    private static async Task SendHistory(GatewayHost host)
    {
        var segment = new Segment(host, WriteKey, AdminKey);
        await segment.Send("track", new { anonymousId = "a-durable", @event = "browsed" });
        await segment.Send("identify", new { userId = "u-durable", anonymousId = "a-durable", traits = new { email = "durable@example.com", name = "Eve" } });
        await segment.Send("batch", new { batch = Enumerable.Range(0, 20).Select(i => new { type = "track", userId = "u-durable", @event = $"e{i}", messageId = $"m{i}" }) });
    }

    private static async Task AssertHistory(GatewayHost host, int events = 22)
    {
        var segment = new Segment(host, WriteKey, AdminKey);
        var customer = await segment.Customer("durable@example.com");
        Assert.Equal("u-durable", customer.GetProperty("id").GetString());
        Assert.Equal("Eve", customer.GetProperty("traits").GetProperty("name").GetString());
        Assert.Equal("u-durable", (await segment.Customer("a-durable")).GetProperty("id").GetString());
        Assert.Equal(events, (await segment.Timeline("u-durable")).Count(i => i.GetProperty("kind").GetString() == "event"));

        // Retried after the restart, the same message ids are still recognised.
        await segment.Send("track", new { userId = "u-durable", @event = "e0", messageId = "m0" });
        Assert.Equal(events, (await segment.Timeline("u-durable")).Count(i => i.GetProperty("kind").GetString() == "event"));
    }

    private static Dictionary<string, string?> Keys(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Waymark:Bootstrap:WriteKey"] = WriteKey, ["Waymark:Bootstrap:AdminKey"] = AdminKey };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Customers_survive_a_restart_of_a_single_node()
    {
        await using (var first = new GatewayHost(data.Path, Keys()))
        {
            first.StartServer();
            await SendHistory(first);
        }

        await using var second = new GatewayHost(data.Path, Keys());
        await AssertHistory(second);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Customers_are_rebuilt_from_snapshot_and_log_or_from_the_log_alone(bool loseSnapshots)
    {
        string dataFile;
        await using (var first = new GatewayHost(data.Path, Keys()))
        {
            first.StartServer();
            await SendHistory(first);
            var more = Enumerable.Range(20, 100).Select(i => new { type = "track", userId = "u-durable", @event = $"e{i}", messageId = $"m{i}" });
            await new Segment(first, WriteKey, AdminKey).Send("batch", new { batch = more }); // past 100 entries: a snapshot is saved
            dataFile = first.DataFile;
        }

        if (loseSnapshots)
        {
            await using var connection = new SqliteConnection($"Data Source={dataFile};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM OrleansGrainState WHERE GrainTypeString LIKE '%customer%'";
            Assert.True(await command.ExecuteNonQueryAsync() > 0);
        }

        await using var second = new GatewayHost(data.Path, Keys());
        await AssertHistory(second, events: 122);
    }

    [Fact]
    public async Task Customers_survive_a_restart_on_postgres()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var postgres = Keys(new() { ["Waymark:Storage:Provider"] = "postgres", ["ConnectionStrings:Waymark"] = database.ConnectionString });
        await using (var first = new GatewayHost(data.Path, postgres))
        {
            first.StartServer();
            await SendHistory(first);
        }

        await using var second = new GatewayHost(data.Path, postgres);
        await AssertHistory(second);
    }
}
