using Waymark.Testing;

namespace Waymark.Gateway.Tests.Inbox;

/// <summary>Inboxes, and what their users read, survive a restart on embedded and server storage.</summary>
public sealed class InboxDurabilityTests : IDisposable
{
    private const string WriteKey = "inbox-durability-write-01";
    private const string AdminKey = "inbox-durability-admin-01";
    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    private static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Waymark:Bootstrap:WriteKey"] = WriteKey, ["Waymark:Bootstrap:AdminKey"] = AdminKey };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task Restart(Dictionary<string, string?> settings)
    {
        await using (var first = new GatewayHost(data.Path, settings))
        {
            first.StartServer();
            var app = new InboxApp(first, WriteKey, AdminKey);
            await app.Send(InboxApp.Message("u:u-durable", "m-old", InboxApp.Monday, "Old", "Read me"));
            await app.Send(InboxApp.Message("u:u-durable", "m-new", InboxApp.Monday.AddDays(1), "New"));
            Assert.Equal(System.Net.HttpStatusCode.NoContent,
                (await (await app.ReaderFor("u-durable")).PostAsync(InboxApp.ReadPath("u-durable", "m-old"), null)).StatusCode);
        }

        await using var second = new GatewayHost(data.Path, settings);
        var restarted = new InboxApp(second, WriteKey, AdminKey);
        await restarted.Send(InboxApp.Message("u:u-durable", "m-old", InboxApp.Monday, "Old, redelivered"));

        var messages = await restarted.List("u-durable");
        Assert.Equal(["m-new", "m-old"], InboxApp.Ids(messages));
        Assert.Equal([false, true], messages.Select(m => m.GetProperty("read").GetBoolean()));
        Assert.Equal("Read me", messages[1].GetProperty("body").GetString());
    }

    [Fact]
    public Task An_inbox_survives_a_restart_of_a_single_node() => Restart(Settings());

    [Fact]
    public async Task An_inbox_survives_a_restart_on_postgres()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await Restart(Settings(new() { ["Waymark:Storage:Provider"] = "postgres", ["ConnectionStrings:Waymark"] = database.ConnectionString }));
    }
}
