using System.Net;
using System.Text;
using Waymark.Testing;

namespace Waymark.Gateway.Tests;

/// <summary>Limits Kestrel enforces, so over a real socket rather than the in-memory test server.</summary>
public sealed class GatewayLimitsTests : IDisposable
{
    private readonly ScratchDirectory data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task A_body_over_the_request_limit_is_a_413_problem_and_changes_nothing()
    {
        await using var host = new GatewayHost(data.Path, new Dictionary<string, string?> { ["Waymark:Gateway:MaxRequestBodyBytes"] = "4096" });
        host.UseKestrel(FreePort.Next());
        var (_, adminKey) = host.BootstrapKeys();
        var admin = host.ClientWithBearer(adminKey);
        var keysBefore = await admin.GetStringAsync("/api/keys");
        var oversized = $$"""{"role": "viewer", "name": "{{new string('x', 8192)}}"}""";

        var response = await admin.PostAsync("/api/keys", new StringContent(oversized, Encoding.UTF8, "application/json"));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("$", Problem.ErrorPaths(problem));
        Assert.Equal(keysBefore, await admin.GetStringAsync("/api/keys"));
    }
}
