using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Waymark.Gateway.Tests;

public class OperationsTests(SingleNode node) : IClassFixture<SingleNode>
{
    [Fact]
    public async Task Live_and_ready_answer_healthy_when_silo_and_database_answer()
    {
        var client = node.Host.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await client.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task The_openapi_document_lists_the_api_but_not_the_dashboard()
    {
        var document = await node.Host.CreateClient().GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/keys", paths);
        Assert.Contains("/api/workspace/settings", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/dashboard", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await node.Host.CreateClient().GetAsync("/swagger/index.html")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_asks_a_browser_to_sign_in_and_admits_only_the_admin_key()
    {
        var anonymous = await node.Host.CreateClient().GetAsync("/dashboard/");
        await Problem.AssertAsync(anonymous, HttpStatusCode.Unauthorized);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        await Problem.AssertAsync(await node.Host.ClientWithBasic("ops", node.WriteKey).GetAsync("/dashboard/"), HttpStatusCode.Forbidden);
        var admin = await node.Host.ClientWithBasic("ops", node.AdminKey).GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("<html", await admin.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_are_served_to_admins_in_prometheus_format()
    {
        await Problem.AssertAsync(await node.Host.CreateClient().GetAsync("/metrics"), HttpStatusCode.Unauthorized);
        var response = await node.Host.ClientWithBearer(node.AdminKey).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dashboard/SiloProperties/not-a-silo")]
    [InlineData("/dashboard/HistoricalStats/%20")]
    public async Task A_dashboard_url_naming_no_silo_is_a_problem_details_404(string url)
    {
        await Problem.AssertAsync(await node.Host.ClientWithBasic("ops", node.AdminKey).GetAsync(url), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_details_404()
    {
        await Problem.AssertAsync(await node.Host.ClientWithBearer(node.AdminKey).GetAsync("/api/nothing-here"), HttpStatusCode.NotFound);
    }
}
