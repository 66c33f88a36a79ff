using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Gateway.Inbox;
using Xunit.Abstractions;

namespace Waymark.Gateway.Tests.Security;

/// <summary>
/// Issue 9, item 5: every endpoint × every credential × own or other workspace answers only what api.md allows, no
/// answer shows another workspace's data or a secret api.md keeps back, and no secret reaches any log.
/// </summary>
public sealed class AccessMatrixTests(TwoWorkspaces drill, ITestOutputHelper output) : IClassFixture<TwoWorkspaces>
{
    private Tenant Alpha => drill.Alpha;

    private Tenant Beta => drill.Beta;

    [Fact]
    public void Every_mapped_endpoint_has_an_expectation_and_every_expectation_an_endpoint()
    {
        var mapped = drill.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(Route).ToHashSet();
        var expected = RoleTable.All.Select(e => e.Route).ToHashSet();

        Assert.Equal(RoleTable.All.Count, expected.Count);
        Assert.Empty(mapped.Except(expected)); // a new endpoint needs its row in RoleTable
        Assert.Empty(expected.Except(mapped));

        static string Route(RouteEndpoint endpoint)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            var pattern = endpoint.RoutePattern.RawText!.TrimEnd('/');
            return $"{string.Join('|', methods)} {(pattern.Length == 0 ? "/" : pattern)}";
        }
    }

    [Fact]
    public async Task Every_endpoint_answers_every_credential_of_either_workspace_as_the_role_table_says()
    {
        var clock = Stopwatch.StartNew();
        var client = drill.Host.CreateClient(new() { AllowAutoRedirect = false });
        var failures = new List<string>();
        var probes = 0;

        // The other workspace first, against a snapshot of the target's data: nothing it does may change any of it.
        // Endpoints that answer it in its own workspace (lists, puts that create) go last: they give it things of its
        // own under the target's ids, which the 404s before must not meet.
        var before = await SnapshotAsync(Alpha);
        foreach (var row in RoleTable.All.OrderBy(r => (int)r.Elsewhere is >= 200 and < 400))
        {
            foreach (var credential in Credential.Of(Beta))
            {
                failures.AddRange(await ProbeAsync(client, row, credential));
                probes++;
            }
        }

        var after = await SnapshotAsync(Alpha);
        failures.AddRange(before.Keys.Where(path => before[path] != after[path]).Select(path => $"the other workspace changed {path}: {before[path]} became {after[path]}"));

        foreach (var row in RoleTable.All)
        {
            foreach (var credential in Credential.Of(Alpha).Prepend(Credential.Malformed).Prepend(Credential.None))
            {
                failures.AddRange(await ProbeAsync(client, row, credential));
                probes++;
            }
        }

        output.WriteLine($"{RoleTable.All.Count} endpoints, {probes} probes in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes} probes failed:\n{string.Join("\n", failures)}");
        drill.AssertNoSecretLogged();
        output.WriteLine($"none of {drill.Secrets.Count} secrets in {drill.Host.Logs.Lines.Count} log lines");
    }

    [Fact]
    public async Task Approving_or_rejecting_ones_own_submission_is_refused_for_every_role()
    {
        // Only designers and admins submit: no viewer, approver or write key has a submission of its own to approve.
        var draft = await Alpha.NewJourneyAsync(JourneyStage.Draft);
        foreach (var credential in Credential.Of(Alpha).Where(c => c.Role is "viewer" or "approver" or "write"))
        {
            await Problem.AssertAsync(await Client(credential).PostAsync($"/api/journeys/{draft}/submit", null), HttpStatusCode.Forbidden);
        }

        foreach (var credential in Credential.Of(Alpha).Where(c => c.Role is "designer" or "admin"))
        {
            var journey = await Alpha.NewJourneyAsync(JourneyStage.Draft);
            var submitter = Client(credential);
            await Tenant.Expect(await submitter.PostAsync($"/api/journeys/{journey}/submit", null), HttpStatusCode.OK);

            await Problem.AssertAsync(await submitter.PostAsJsonAsync($"/api/journeys/{journey}/approve", new { comment = "mine" }), HttpStatusCode.Forbidden);
            await Problem.AssertAsync(await submitter.PostAsJsonAsync($"/api/journeys/{journey}/reject", new { comment = "mine" }), HttpStatusCode.Forbidden);

            var refused = await Alpha.Admin.GetFromJsonAsync<JsonElement>($"/api/journeys/{journey}");
            Assert.Equal("pending_approval", refused.GetProperty("status").GetString());
            Assert.Equal("submitted", refused.GetProperty("history").EnumerateArray().Last().GetProperty("action").GetString());

            // Someone else may: the refusal was about who submitted, not about the draft.
            await Tenant.Expect(await Alpha.Approver.PostAsync($"/api/journeys/{journey}/approve", null), HttpStatusCode.OK);
        }

        drill.AssertNoSecretLogged();
    }

    private HttpClient Client(Credential credential)
    {
        var client = drill.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = credential.Header;
        return client;
    }

    /// <summary>Sends one probe; returns what it got wrong.</summary>
    private async Task<List<string>> ProbeAsync(HttpClient client, Expectation row, Credential credential)
    {
        var target = Alpha;
        var expected = row.Expected(credential, target);
        var probe = new Probe(drill, credential, target, changes: credential.Tenant == target && row.Admits(credential) && row.Access != Access.Anyone);
        using var request = await row.Request(probe);
        request.Headers.Authorization = credential.Header;
        var asked = $"{request.RequestUri}{(request.Content is null ? "" : await request.Content.ReadAsStringAsync())}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var body = row.Streams && response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
        var shown = $"{response.Headers}{response.Content.Headers}{body}";
        var where = $"{row.Route} as {credential.Name}";

        var failures = new List<string>();
        if (response.StatusCode != expected)
        {
            failures.Add($"{where}: expected {(int)expected}, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
        else if ((int)expected is 401 or 403 or 404 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{where}: a {(int)expected} without problem details");
        }

        var inboxSecret = row.AdminSeesInboxSecret && credential.Role == "admin" ? credential.Tenant!.InboxSecret : null;
        failures.AddRange(drill.Secrets.Where(s => s.Value != inboxSecret && shown.Contains(s.Value, StringComparison.Ordinal)).Select(s => $"{where}: the answer shows the {s.Key}"));
        // An id the request itself named may come back (a 404 says what it did not find); nothing else of the other workspace may.
        failures.AddRange(new[] { Alpha, Beta }.Where(t => t != credential.Tenant)
            .SelectMany(t => t.Private.Where(s => shown.Contains(s, StringComparison.Ordinal) && !asked.Contains(s, StringComparison.Ordinal)))
            .Select(s => $"{where}: the answer shows another workspace's '{s}'"));

        if (response.StatusCode == HttpStatusCode.Created)
        {
            drill.RememberIssued(where, JsonDocument.Parse(body).RootElement);
        }

        return failures;
    }

    /// <summary>Everything of <paramref name="tenant"/> its own admin and app read, by path.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(Tenant tenant)
    {
        string[] paths =
        [
            "/api/keys", "/api/workspace/settings", "/api/channels", "/api/journeys", "/api/segments", "/api/templates",
            $"/api/customers/{tenant.Ada}", $"/api/customers/{tenant.Ada}/timeline?limit=500", $"/api/customers/{tenant.Bob}",
            $"/api/customers/{tenant.Bob}/timeline?limit=500", $"/api/segments/{tenant.Segment}", $"/api/segments/{tenant.Segment}/members",
            $"/api/templates/{tenant.Template}", $"/api/journeys/{tenant.Live}/versions/1",
            .. new[] { tenant.Live, tenant.Paused, tenant.Approved, tenant.Pending, tenant.Drafted }.Select(j => $"/api/journeys/{j}"),
        ];
        var snapshot = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            snapshot[path] = await tenant.Admin.GetStringAsync(path);
        }

        var app = tenant.Writer;
        app.DefaultRequestHeaders.Add(InboxEndpoints.UserTokenHeader, tenant.UserToken(tenant.Ada));
        snapshot[$"/v1/inbox/{tenant.Ada}"] = await app.GetStringAsync($"/v1/inbox/{tenant.Ada}");
        return snapshot;
    }
}
