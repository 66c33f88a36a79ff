using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using Waymark.Testing;

namespace Waymark.Gateway.Tests;

/// <summary>The single node of the README: first start, restart on the same file, configured keys.</summary>
public sealed class SingleNodeTests : IDisposable
{
    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task First_start_writes_the_default_keys_to_an_owner_only_file_and_never_logs_them()
    {
        await using var host = new GatewayHost(data.Path);
        var (writeKey, adminKey) = host.BootstrapKeys();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.KeysFile));
        Assert.Equal(HttpStatusCode.OK, (await host.ClientWithBearer(adminKey).GetAsync("/api/keys")).StatusCode);
        Assert.Contains(host.Logs.Lines, line => line.Contains(host.KeysFile, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(adminKey, StringComparison.Ordinal) || line.Contains(writeKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Grain_state_survives_a_restart_on_the_same_file()
    {
        string adminKey, issuedKey, issuedId;
        await using (var first = new GatewayHost(data.Path))
        {
            (_, adminKey) = first.BootstrapKeys();
            var issued = await (await first.ClientWithBearer(adminKey).PostAsJsonAsync("/api/keys", new { role = "viewer", name = "survivor" }))
                .Content.ReadFromJsonAsync<JsonElement>();
            (issuedKey, issuedId) = (issued.GetProperty("key").GetString()!, issued.GetProperty("id").GetString()!);
            Assert.Equal(HttpStatusCode.OK, (await first.ClientWithBearer(adminKey).PutAsJsonAsync("/api/workspace/settings", new { timezone = "Asia/Tokyo" })).StatusCode);
        }

        var keysFile = await File.ReadAllTextAsync(Path.Combine(data.Path, "bootstrap-keys.txt"));
        await using var second = new GatewayHost(data.Path);

        Assert.Equal(keysFile, await File.ReadAllTextAsync(second.KeysFile)); // no second bootstrap
        var keys = await second.ClientWithBearer(adminKey).GetFromJsonAsync<JsonElement[]>("/api/keys");
        Assert.Contains(keys!, k => k.GetProperty("id").GetString() == issuedId && k.GetProperty("name").GetString() == "survivor");
        var settings = await second.ClientWithBearer(issuedKey).GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        Assert.Equal("Asia/Tokyo", settings.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Configured_keys_replace_the_generated_file()
    {
        const string writeKey = "configured-write-key-0001";
        const string adminKey = "configured-admin-key-0001";
        await using var host = new GatewayHost(data.Path, new Dictionary<string, string?>
        {
            ["Waymark:Bootstrap:WriteKey"] = writeKey,
            ["Waymark:Bootstrap:AdminKey"] = adminKey,
        });

        var response = await host.ClientWithBearer(adminKey).GetAsync("/api/keys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(File.Exists(host.KeysFile));
        await Problem.AssertAsync(await host.ClientWithBearer(writeKey).GetAsync("/api/keys"), HttpStatusCode.Forbidden);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(adminKey, StringComparison.Ordinal));
    }

    [Fact]
    public void A_weak_configured_key_stops_the_start_with_a_clear_reason()
    {
        using var host = new GatewayHost(data.Path, new Dictionary<string, string?>
        {
            ["Waymark:Bootstrap:WriteKey"] = "short",
            ["Waymark:Bootstrap:AdminKey"] = "configured-admin-key-0001",
        });

        var error = Assert.ThrowsAny<Exception>(host.StartServer);

        Assert.Contains("Waymark:Bootstrap:WriteKey", error.ToString(), StringComparison.Ordinal);
    }
}
