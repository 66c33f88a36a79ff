using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Waymark.Gateway.Tests;

public class KeyApiTests(SingleNode node) : IClassFixture<SingleNode>
{
    private HttpClient Admin => node.Host.ClientWithBearer(node.AdminKey);

    private async Task<string> IssueKey(string role, HttpClient? client = null)
    {
        var response = await (client ?? Admin).PostAsJsonAsync("/api/keys", new { role, name = $"{role}-test" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    [Fact]
    public async Task Api_without_a_key_is_401_with_a_bearer_challenge()
    {
        var response = await node.Host.CreateClient().GetAsync("/api/keys");
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        var response = await node.Host.ClientWithBearer("ak_not-a-real-key").GetAsync("/api/workspace/settings");
        await Problem.AssertAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_write_key_on_the_api_is_403()
    {
        var response = await node.Host.ClientWithBearer(node.WriteKey).GetAsync("/api/workspace/settings");
        await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_key_request_with_a_field_it_does_not_know_or_that_is_not_json_issues_no_key()
    {
        var keysBefore = await Admin.GetStringAsync("/api/keys");

        var misspelt = await Admin.PostAsync("/api/keys", new StringContent("""{"role": "viewer", "nmae": "ci"}""", Encoding.UTF8, "application/json"));
        var notJson = await Admin.PostAsync("/api/keys", new StringContent("""{"role": "viewer"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(["$.nmae"], Problem.ErrorPaths(await Problem.AssertAsync(misspelt, HttpStatusCode.BadRequest)));
        Assert.Equal(["$"], Problem.ErrorPaths(await Problem.AssertAsync(notJson, HttpStatusCode.UnsupportedMediaType)));
        Assert.Equal(keysBefore, await Admin.GetStringAsync("/api/keys"));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("designer")]
    [InlineData("approver")]
    public async Task Only_admins_manage_keys(string role)
    {
        var client = node.Host.ClientWithBearer(await IssueKey(role));
        await Problem.AssertAsync(await client.GetAsync("/api/keys"), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await client.PostAsJsonAsync("/api/keys", new { role = "admin" }), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await client.DeleteAsync("/api/keys/whatever"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("designer")]
    [InlineData("approver")]
    [InlineData("admin")]
    public async Task Every_api_role_reads_settings(string role)
    {
        var response = await node.Host.ClientWithBearer(await IssueKey(role)).GetAsync("/api/workspace/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_issued_key_is_shown_once_and_listed_without_its_secret()
    {
        var response = await Admin.PostAsJsonAsync("/api/keys", new { role = "designer", name = "ci" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("designer", issued.GetProperty("role").GetString());
        Assert.Equal("ci", issued.GetProperty("name").GetString());
        var secret = issued.GetProperty("key").GetString()!;

        var listing = await Admin.GetStringAsync("/api/keys");
        Assert.Contains(issued.GetProperty("id").GetString()!, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await node.Host.ClientWithBearer(secret).GetAsync("/api/workspace/settings")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var response = await Admin.PostAsJsonAsync("/api/keys", new { role = "viewer" });
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var client = node.Host.ClientWithBearer(issued.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/workspace/settings")).StatusCode);

        var revoke = await Admin.DeleteAsync($"/api/keys/{issued.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await Problem.AssertAsync(await client.GetAsync("/api/workspace/settings"), HttpStatusCode.Unauthorized);
        await Problem.AssertAsync(await Admin.DeleteAsync($"/api/keys/{issued.GetProperty("id").GetString()}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"role": "owner"}""", "$.role")]
    [InlineData("""{"name": "no role"}""", "$.role")]
    [InlineData("""{"role": 5}""", "$.role")]
    [InlineData("""{"role": "viewer", "name": "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"}""", "$.name")]
    [InlineData("""{"role": "viewer" """, "$")]
    public async Task A_bad_key_request_names_the_field_at_fault(string body, string path)
    {
        var response = await Admin.PostAsync("/api/keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(path, Problem.ErrorPaths(problem));
    }
}
