using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Waymark.Gateway.Tests;

public class SettingsTests(SingleNode node) : IClassFixture<SingleNode>
{
    private async Task<HttpClient> NewWorkspaceAdmin()
    {
        var id = "ws-" + Guid.NewGuid().ToString("N")[..12];
        var created = await (await node.Host.ClientWithBearer(node.AdminKey).PostAsJsonAsync("/api/workspaces", new { id }))
            .Content.ReadFromJsonAsync<JsonElement>();
        return node.Host.ClientWithBearer(created.GetProperty("adminKey").GetString()!);
    }

    [Fact]
    public async Task A_new_workspace_has_the_documented_defaults()
    {
        var settings = await (await NewWorkspaceAdmin()).GetFromJsonAsync<JsonElement>("/api/workspace/settings");

        Assert.Equal("UTC", settings.GetProperty("timezone").GetString());
        Assert.Equal("22:00", settings.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.Equal("08:00", settings.GetProperty("quietHours").GetProperty("end").GetString());
        Assert.Equal(3, settings.GetProperty("frequencyCap").GetProperty("count").GetInt32());
        Assert.Equal("P1D", settings.GetProperty("frequencyCap").GetProperty("window").GetString());
        Assert.Equal(["email", "phone"], settings.GetProperty("identityTraits").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("P365D", settings.GetProperty("rfmWindow").GetString());
    }

    [Fact]
    public async Task Put_replaces_the_settings_and_null_turns_rules_off()
    {
        var admin = await NewWorkspaceAdmin();
        var put = await admin.PutAsJsonAsync("/api/workspace/settings", new
        {
            timezone = "Europe/Berlin",
            quietHours = (object?)null,
            frequencyCap = new { count = 5, window = "PT12H" },
            identityTraits = new[] { "email" },
            rfmWindow = "P180D",
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        Assert.Equal("Europe/Berlin", settings.GetProperty("timezone").GetString());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("quietHours").ValueKind);
        Assert.Equal(5, settings.GetProperty("frequencyCap").GetProperty("count").GetInt32());
        Assert.Equal("PT12H", settings.GetProperty("frequencyCap").GetProperty("window").GetString());
        Assert.Equal("P180D", settings.GetProperty("rfmWindow").GetString());
    }

    [Fact]
    public async Task Every_problem_with_the_settings_is_reported_at_once_and_nothing_changes()
    {
        var admin = await NewWorkspaceAdmin();
        var body = """
            { "timezone": "Mars/Olympus", "quietHours": {"start": "25:00", "end": "8am"},
              "frequencyCap": {"count": 0, "window": "P1M"}, "identityTraits": [""], "rfmWindow": "P2000D" }
            """;
        var response = await admin.PutAsync("/api/workspace/settings", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(
            ["$.frequencyCap.count", "$.frequencyCap.window", "$.identityTraits[0]", "$.quietHours.end", "$.quietHours.start", "$.rfmWindow", "$.timezone"],
            Problem.ErrorPaths(problem).Order(StringComparer.Ordinal));
        Assert.Equal("UTC", (await admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings")).GetProperty("timezone").GetString());
    }

    [Theory]
    [InlineData("""{"timezone": "UTC", "timezone": "Asia/Tokyo"}""")]
    [InlineData("""{"frequencyCap": {"count": "5", "window": "PT1H"}}""")]
    public async Task A_field_sent_twice_or_a_number_sent_as_text_is_refused_and_nothing_changes(string body)
    {
        var admin = await NewWorkspaceAdmin();

        var response = await admin.PutAsync("/api/workspace/settings", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        Assert.Equal("UTC", settings.GetProperty("timezone").GetString());
        Assert.Equal(3, settings.GetProperty("frequencyCap").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Unknown_fields_are_refused_by_name()
    {
        var response = await (await NewWorkspaceAdmin()).PutAsync("/api/workspace/settings",
            new StringContent("""{"timezone": "UTC", "quietHourz": null}""", Encoding.UTF8, "application/json"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("quietHourz", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_admins_see_the_inbox_secret_or_change_settings()
    {
        var admin = await NewWorkspaceAdmin();
        var issued = await (await admin.PostAsJsonAsync("/api/keys", new { role = "designer" })).Content.ReadFromJsonAsync<JsonElement>();
        var designer = node.Host.ClientWithBearer(issued.GetProperty("key").GetString()!);

        var seen = await designer.GetFromJsonAsync<JsonElement>("/api/workspace/settings");

        Assert.False(seen.TryGetProperty("inboxSecret", out _));
        Assert.True((await admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings")).TryGetProperty("inboxSecret", out _));
        await Problem.AssertAsync(await designer.PutAsJsonAsync("/api/workspace/settings", new { timezone = "UTC" }), HttpStatusCode.Forbidden);
    }
}
