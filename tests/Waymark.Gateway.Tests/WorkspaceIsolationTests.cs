using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Waymark.Gateway.Tests;

public class WorkspaceIsolationTests(SingleNode node) : IClassFixture<SingleNode>
{
    private HttpClient Admin => node.Host.ClientWithBearer(node.AdminKey);

    private async Task<JsonElement> CreateWorkspace(string id)
    {
        var response = await Admin.PostAsJsonAsync("/api/workspaces", new { id });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_new_workspace_comes_with_working_keys_of_its_own()
    {
        var acme = await CreateWorkspace("acme");

        Assert.Equal("acme", acme.GetProperty("id").GetString());
        Assert.StartsWith("is_", acme.GetProperty("inboxSecret").GetString(), StringComparison.Ordinal);
        var acmeAdmin = node.Host.ClientWithBearer(acme.GetProperty("adminKey").GetString()!);
        var settings = await acmeAdmin.GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        Assert.Equal(acme.GetProperty("inboxSecret").GetString(), settings.GetProperty("inboxSecret").GetString());
        await Problem.AssertAsync(
            await node.Host.ClientWithBearer(acme.GetProperty("writeKey").GetString()!).GetAsync("/api/keys"),
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Keys_of_one_workspace_never_reach_another()
    {
        var globex = await CreateWorkspace("globex");
        var globexAdmin = node.Host.ClientWithBearer(globex.GetProperty("adminKey").GetString()!);
        var defaultKeys = await Admin.GetFromJsonAsync<JsonElement[]>("/api/keys");
        var globexKeys = await globexAdmin.GetFromJsonAsync<JsonElement[]>("/api/keys");

        Assert.Empty(defaultKeys!.Select(Id).Intersect(globexKeys!.Select(Id)));
        foreach (var key in defaultKeys!)
        {
            // Another workspace's key answers exactly as a key that does not exist.
            await Problem.AssertAsync(await globexAdmin.DeleteAsync($"/api/keys/{Id(key)}"), HttpStatusCode.NotFound);
        }

        Assert.Equal(defaultKeys.Length, (await Admin.GetFromJsonAsync<JsonElement[]>("/api/keys"))!.Length);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/api/workspace/settings")).StatusCode);

        static string Id(JsonElement key) => key.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Settings_of_one_workspace_do_not_change_another()
    {
        var initech = await CreateWorkspace("initech");
        var initechAdmin = node.Host.ClientWithBearer(initech.GetProperty("adminKey").GetString()!);

        var put = await initechAdmin.PutAsJsonAsync("/api/workspace/settings", new { timezone = "Asia/Shanghai" });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Asia/Shanghai", (await initechAdmin.GetFromJsonAsync<JsonElement>("/api/workspace/settings")).GetProperty("timezone").GetString());
        Assert.Equal("UTC", (await Admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings")).GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Creating_an_existing_workspace_is_a_conflict()
    {
        await CreateWorkspace("hooli");
        await Problem.AssertAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { id = "hooli" }), HttpStatusCode.Conflict);
        await Problem.AssertAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { id = "default" }), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("-acme")]
    [InlineData("ac/me")]
    [InlineData("")]
    public async Task Workspace_ids_are_validated(string id)
    {
        var problem = await Problem.AssertAsync(await Admin.PostAsJsonAsync("/api/workspaces", new { id }), HttpStatusCode.BadRequest);
        Assert.Contains("$.id", Problem.ErrorPaths(problem));
    }
}
