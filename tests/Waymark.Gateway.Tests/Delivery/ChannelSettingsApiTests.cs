using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>api.md §5 channel settings: admins write them, any reader of /api sees them, nobody sees a secret.</summary>
public class ChannelSettingsApiTests(SingleNode node) : IClassFixture<SingleNode>
{
    [Fact]
    public async Task A_new_workspace_has_only_the_inapp_channel()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        var channels = await workspace.Team.Viewer.GetFromJsonAsync<JsonElement>("/api/channels");

        foreach (var name in new[] { "webhook", "sms", "push", "email" })
        {
            Assert.Equal("""{"configured":false}""", channels.GetProperty(name).GetRawText());
        }

        Assert.True(channels.GetProperty("inapp").GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task Settings_are_shown_without_their_secrets_and_the_secrets_are_never_logged()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var webhookSecret = "whsec-" + Guid.NewGuid().ToString("N");
        var smsSecret = "smssec-" + Guid.NewGuid().ToString("N");
        var password = "pw-" + Guid.NewGuid().ToString("N");

        var webhook = await workspace.Admin.PutAsJsonAsync("/api/channels/webhook", new { url = "https://hooks.acme.io/waymark?tenant=7", secret = webhookSecret });
        var sms = await workspace.Admin.PutAsJsonAsync("/api/channels/sms", new { url = "http://sms-adapter.internal:8080/send", secret = smsSecret });
        var email = await workspace.Admin.PutAsJsonAsync("/api/channels/email", new
        {
            host = "smtp.acme.io", port = 587, tls = "starttls", user = "news@acme.io", password, from = "Acme News <news@acme.io>",
        });

        Assert.Equal("""{"configured":true,"url":"https://hooks.acme.io/waymark?tenant=7","secretSet":true}""", await Body(webhook, HttpStatusCode.OK));
        Assert.DoesNotContain(smsSecret, await Body(sms, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Equal(
            """{"configured":true,"host":"smtp.acme.io","port":587,"tls":"starttls","user":"news@acme.io","passwordSet":true,"from":"Acme News <news@acme.io>"}""",
            await Body(email, HttpStatusCode.OK));

        foreach (var reader in new[] { workspace.Team.Viewer, workspace.Team.Designer, workspace.Team.Approver, workspace.Admin })
        {
            var text = await Body(await reader.GetAsync("/api/channels"), HttpStatusCode.OK);
            var channels = JsonDocument.Parse(text).RootElement;
            Assert.Equal("https://hooks.acme.io/waymark?tenant=7", channels.GetProperty("webhook").GetProperty("url").GetString());
            Assert.Equal("http://sms-adapter.internal:8080/send", channels.GetProperty("sms").GetProperty("url").GetString());
            Assert.Equal("""{"configured":false}""", channels.GetProperty("push").GetRawText());
            Assert.True(channels.GetProperty("email").GetProperty("passwordSet").GetBoolean());
            Assert.Equal("starttls", channels.GetProperty("email").GetProperty("tls").GetString());
            foreach (var secret in new[] { webhookSecret, smsSecret, password })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        foreach (var secret in new[] { webhookSecret, smsSecret, password })
        {
            Assert.DoesNotContain(node.Host.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Put_replaces_a_channels_settings_and_an_smtp_server_may_need_no_login()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        await workspace.ConfigureAsync("push", new Uri("https://push-one.acme.io/"), "first-secret-0123456789");
        await workspace.ConfigureAsync("push", new Uri("https://push-two.acme.io/"), "second-secret-0123456789");
        await Body(await workspace.Admin.PutAsJsonAsync("/api/channels/email", new { host = "127.0.0.1", port = 2525, tls = "none", from = "bot@acme.io" }), HttpStatusCode.OK);

        var channels = await workspace.Admin.GetFromJsonAsync<JsonElement>("/api/channels");

        Assert.Equal("https://push-two.acme.io/", channels.GetProperty("push").GetProperty("url").GetString());
        Assert.Equal("""{"configured":true,"host":"127.0.0.1","port":2525,"tls":"none","passwordSet":false,"from":"bot@acme.io"}""",
            channels.GetProperty("email").GetRawText());
    }

    [Theory]
    [InlineData("viewer", HttpStatusCode.Forbidden)]
    [InlineData("designer", HttpStatusCode.Forbidden)]
    [InlineData("approver", HttpStatusCode.Forbidden)]
    [InlineData("write", HttpStatusCode.Forbidden)]
    [InlineData("none", HttpStatusCode.Unauthorized)]
    public async Task Only_an_admin_may_change_a_channel(string role, HttpStatusCode expected)
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);
        var client = workspace.Team.As(role);

        await Problem.AssertAsync(await client.PutAsJsonAsync("/api/channels/webhook", new { url = "https://x.acme.io/", secret = "0123456789abcdef0123" }), expected);
        await Problem.AssertAsync(await client.PutAsJsonAsync("/api/channels/email", new { host = "smtp.acme.io", port = 25, tls = "none", from = "a@acme.io" }), expected);

        var channels = await workspace.Admin.GetFromJsonAsync<JsonElement>("/api/channels");
        Assert.False(channels.GetProperty("webhook").GetProperty("configured").GetBoolean());
        Assert.False(channels.GetProperty("email").GetProperty("configured").GetBoolean());
    }

    [Theory]
    [InlineData("write", HttpStatusCode.Forbidden)]
    [InlineData("none", HttpStatusCode.Unauthorized)]
    public async Task A_write_key_or_no_key_cannot_read_the_channels(string role, HttpStatusCode expected)
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        await Problem.AssertAsync(await workspace.Team.As(role).GetAsync("/api/channels"), expected);
    }

    [Fact]
    public async Task Every_problem_with_http_channel_settings_is_reported_at_its_field()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        foreach (var (body, paths) in new (object Body, string[] Paths)[]
        {
            (new { url = "ftp://files.acme.io/", secret = "short" }, ["$.url", "$.secret"]),
            (new { url = "/relative/hook", secret = "0123456789abcdef0123" }, ["$.url"]),
            (new { url = "https://user:pass@hooks.acme.io/", secret = "0123456789abcdef0123" }, ["$.url"]),
            (new { url = (string?)null, secret = (string?)null }, ["$.url", "$.secret"]),
            (new { url = "https://hooks.acme.io/", secret = new string(' ', 20) }, ["$.secret"]),
        })
        {
            var problem = await Problem.AssertAsync(await workspace.Admin.PutAsJsonAsync("/api/channels/sms", body), HttpStatusCode.BadRequest);
            Assert.Equal(paths, Problem.ErrorPaths(problem));
        }

        var unknown = await Problem.AssertAsync(
            await workspace.Admin.PutAsJsonAsync("/api/channels/webhook", new { url = "https://hooks.acme.io/", secret = "0123456789abcdef0123", headers = "x" }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["$.headers"], Problem.ErrorPaths(unknown));
        Assert.False((await workspace.Admin.GetFromJsonAsync<JsonElement>("/api/channels")).GetProperty("sms").GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task Every_problem_with_email_settings_is_reported_at_its_field()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        var problem = await Problem.AssertAsync(
            await workspace.Admin.PutAsJsonAsync("/api/channels/email", new { host = "", port = 70000, tls = "tls13", user = "bot", from = "not a mailbox" }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["$.host", "$.port", "$.tls", "$.password", "$.from"], Problem.ErrorPaths(problem));

        var orphanPassword = await Problem.AssertAsync(
            await workspace.Admin.PutAsJsonAsync("/api/channels/email", new { host = "smtp.acme.io", port = 0, tls = "ssl", password = "secret", from = "a@acme.io" }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["$.port", "$.user"], Problem.ErrorPaths(orphanPassword));
        Assert.DoesNotContain("secret", orphanPassword.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channels_rate_limit_is_kept_shown_and_removed_by_leaving_it_out()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        var webhook = await workspace.Admin.PutAsJsonAsync("/api/channels/webhook", new { url = "https://hooks.acme.io/", secret = "0123456789abcdef0123", ratePerSecond = 0.5 });
        var email = await workspace.Admin.PutAsJsonAsync("/api/channels/email", new { host = "smtp.acme.io", port = 25, tls = "none", from = "a@acme.io", ratePerSecond = 200 });
        await Body(await workspace.Admin.PutAsJsonAsync("/api/channels/sms", new { url = "https://sms.acme.io/", secret = "0123456789abcdef0123", ratePerSecond = 100000 }), HttpStatusCode.OK);
        await workspace.ConfigureAsync("push", new Uri("https://push.acme.io/"), "0123456789abcdef0123");

        Assert.Equal("""{"configured":true,"url":"https://hooks.acme.io/","secretSet":true,"ratePerSecond":0.5}""", await Body(webhook, HttpStatusCode.OK));
        Assert.Equal(200, JsonDocument.Parse(await Body(email, HttpStatusCode.OK)).RootElement.GetProperty("ratePerSecond").GetDouble());
        var channels = await workspace.Team.Viewer.GetFromJsonAsync<JsonElement>("/api/channels");
        Assert.Equal(0.5, channels.GetProperty("webhook").GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(100000, channels.GetProperty("sms").GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(200, channels.GetProperty("email").GetProperty("ratePerSecond").GetDouble());
        Assert.False(channels.GetProperty("push").TryGetProperty("ratePerSecond", out _));

        await workspace.ConfigureAsync("webhook", new Uri("https://hooks.acme.io/"), "0123456789abcdef0123");
        channels = await workspace.Admin.GetFromJsonAsync<JsonElement>("/api/channels");
        Assert.False(channels.GetProperty("webhook").TryGetProperty("ratePerSecond", out _));
        Assert.Equal(200, channels.GetProperty("email").GetProperty("ratePerSecond").GetDouble());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("100000.5")]
    [InlineData("1e400")]
    [InlineData("\"fast\"")]
    [InlineData("\"NaN\"")]
    [InlineData("true")]
    [InlineData("[5]")]
    public async Task A_rate_limit_that_is_not_a_positive_number_up_to_100000_is_refused_at_its_field(string rate)
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        foreach (var (channel, rest) in new[]
        {
            ("webhook", "\"url\": \"https://hooks.acme.io/\", \"secret\": \"0123456789abcdef0123\""),
            ("email", "\"host\": \"smtp.acme.io\", \"port\": 25, \"tls\": \"none\", \"from\": \"a@acme.io\""),
        })
        {
            using var body = new StringContent($"{{{rest}, \"ratePerSecond\": {rate}}}", Encoding.UTF8, "application/json");
            var problem = await Problem.AssertAsync(await workspace.Admin.PutAsync($"/api/channels/{channel}", body), HttpStatusCode.BadRequest);
            Assert.Equal(["$.ratePerSecond"], Problem.ErrorPaths(problem));
        }

        var channels = await workspace.Admin.GetFromJsonAsync<JsonElement>("/api/channels");
        Assert.False(channels.GetProperty("webhook").GetProperty("configured").GetBoolean());
        Assert.False(channels.GetProperty("email").GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task Inapp_needs_no_settings_and_an_unknown_channel_is_not_found()
    {
        var workspace = await DeliveryWorkspace.CreateAsync(node.Host, node.AdminKey);

        var inapp = await Problem.AssertAsync(await workspace.Admin.PutAsJsonAsync("/api/channels/inapp", new { url = "https://x.acme.io/" }), HttpStatusCode.BadRequest);
        Assert.Equal(["$"], Problem.ErrorPaths(inapp));
        await Problem.AssertAsync(await workspace.Admin.PutAsJsonAsync("/api/channels/fax", new { url = "https://x.acme.io/" }), HttpStatusCode.NotFound);
    }

    private static async Task<string> Body(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body;
    }
}
