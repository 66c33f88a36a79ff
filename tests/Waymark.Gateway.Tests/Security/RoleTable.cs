using System.Net;
using System.Net.Http.Json;
using Waymark.Gateway.Inbox;
using static System.Net.HttpStatusCode;
using static Waymark.Gateway.Tests.Security.Access;

namespace Waymark.Gateway.Tests.Security;

/// <summary>
/// Every endpoint the gateway maps with what api.md lets each credential do there. The role table of api.md §6:
/// <code>
/// | action                                                                   | viewer | designer | approver | admin |
/// | read anything under /api (customers, journeys, stats, segments, ...)     |   ✓    |    ✓     |    ✓     |   ✓   |
/// | journey drafts, submit, publish, pause, resume, enroll; segments; templates |     |    ✓     |          |   ✓   |
/// | approve, reject                                                          |        |          |    ✓     |   ✓   |
/// | archive; customer traits, tags, subscriptions, merge, erase              |        |          |          |   ✓   |
/// | channels, keys, workspaces, settings, dashboard                          |        |          |          |   ✓   |
/// Approving one's own submission is refused for every role. A write key on /api gets 403; no key, 401.
/// </code>
/// </summary>
internal static class RoleTable
{
    public static IReadOnlyList<Expectation> All { get; } =
    [
        // §6 keys, workspaces, settings: admin. Keys and workspaces are the caller's own, so the other workspace's admin
        // gets its own answer; a key id of the target's is unknown there.
        new("POST /api/keys", Admin, Created, Created, Send(HttpMethod.Post, _ => "/api/keys", _ => new { role = "viewer", name = "probe" })),
        new("GET /api/keys", Admin, OK, OK, Get(_ => "/api/keys")),
        new("DELETE /api/keys/{id}", Admin, NoContent, NotFound,
            Send(HttpMethod.Delete, async p => $"/api/keys/{(p.Changes ? (await p.Target.IssueKeyAsync("viewer")).Id : p.Target.SpareKeyId)}")),
        new("POST /api/workspaces", Admin, Created, Created, Send(HttpMethod.Post, _ => "/api/workspaces", _ => new { id = $"probe-{Guid.NewGuid():N}"[..20] })),
        new("GET /api/workspace/settings", Read, OK, OK, Get(_ => "/api/workspace/settings"), AdminSeesInboxSecret: true),
        new("PUT /api/workspace/settings", Admin, OK, OK, Send(HttpMethod.Put, _ => "/api/workspace/settings", _ => new { timezone = "UTC" })),

        // §1 ingestion: a write key, whose workspace the events go to, so the other workspace's events land in its own.
        new("POST /v1/identify", WriteKey, OK, OK, Ingest("identify", p => new { userId = p.Target.Ada, traits = new { plan = "probe" } })),
        new("POST /v1/track", WriteKey, OK, OK, Ingest("track", p => new { userId = p.Target.Ada, @event = "probed" })),
        new("POST /v1/page", WriteKey, OK, OK, Ingest("page", p => new { userId = p.Target.Ada, name = "Home" })),
        new("POST /v1/screen", WriteKey, OK, OK, Ingest("screen", p => new { userId = p.Target.Ada, name = "Home" })),
        new("POST /v1/group", WriteKey, OK, OK, Ingest("group", p => new { userId = p.Target.Ada, groupId = "probers" })),
        new("POST /v1/alias", WriteKey, OK, OK, Ingest("alias", p => new { previousId = $"anon-{Guid.NewGuid():N}", userId = p.Target.Ada })),
        new("POST /v1/batch", WriteKey, OK, OK, Ingest("batch", p => new { batch = new[] { new { type = "track", userId = p.Target.Ada, @event = "probed" } } })),

        // §5 inbox: a write key plus the user's token from the caller's own workspace, which opens that workspace's
        // inbox of the user id: empty there, and without the target's message.
        new("GET /v1/inbox/{userId}", WriteKey, OK, OK, Inbox(p => $"/v1/inbox/{p.Target.Ada}")),
        new("POST /v1/inbox/{userId}/{messageId}/read", WriteKey, NoContent, NotFound, Inbox(p => $"/v1/inbox/{p.Target.Ada}/{p.Target.MessageId}/read", HttpMethod.Post)),

        // §2 customers: read anything; traits, tags, subscriptions, merge, erase for admins. A write to an unknown id
        // creates the customer, so elsewhere it makes one in the caller's workspace and the target's stays as it was.
        new("GET /api/customers/{id}", Read, OK, NotFound, Get(p => $"/api/customers/{p.Target.Ada}")),
        new("GET /api/customers/{id}/timeline", Read, OK, NotFound, Get(p => $"/api/customers/{p.Target.Ada}/timeline")),
        new("PATCH /api/customers/{id}/traits", Admin, OK, OK, Send(HttpMethod.Patch, p => $"/api/customers/{p.Target.Ada}/traits", _ => new { plan = "probe" })),
        new("PUT /api/customers/{id}/tags/{tag}", Admin, OK, OK, Send(HttpMethod.Put, p => $"/api/customers/{p.Target.Ada}/tags/probed")),
        new("DELETE /api/customers/{id}/tags/{tag}", Admin, OK, OK, Send(HttpMethod.Delete, p => $"/api/customers/{p.Target.Ada}/tags/probed")),
        new("PUT /api/customers/{id}/subscriptions", Admin, OK, OK, Send(HttpMethod.Put, p => $"/api/customers/{p.Target.Ada}/subscriptions", _ => new { sms = true })),
        new("POST /api/customers/{id}/merge", Admin, OK, NotFound,
            Send(HttpMethod.Post, p => $"/api/customers/{p.Target.Ada}/merge", async p => new { from = p.Changes ? await p.Target.NewCustomerAsync() : p.Target.Bob })),
        new("DELETE /api/customers/{id}", Admin, NoContent, NotFound,
            Send(HttpMethod.Delete, async p => $"/api/customers/{(p.Changes ? await p.Target.NewCustomerAsync() : p.Target.Ada)}")),

        // §3 journeys: read anything; drafts, submit, publish, pause, resume, enroll for designers; approve, reject for
        // approvers; archive for admins. Each step aims at a journey in the state that step needs.
        new("POST /api/journeys/validate", Design, OK, OK, Send(HttpMethod.Post, _ => "/api/journeys/validate", _ => Tenant.SimpleCanvas("Probe"))),
        new("GET /api/journeys", Read, OK, OK, Get(_ => "/api/journeys")),
        new("GET /api/journeys/{id}", Read, OK, NotFound, Get(p => $"/api/journeys/{p.Target.Live}")),
        new("PUT /api/journeys/{id}", Design, OK, OK,
            Send(HttpMethod.Put, async p => $"/api/journeys/{(p.Changes ? await p.Target.NewJourneyAsync(JourneyStage.Draft) : p.Target.Drafted)}", _ => Tenant.SimpleCanvas("Probe"))),
        new("GET /api/journeys/{id}/versions/{version:int}", Read, OK, NotFound, Get(p => $"/api/journeys/{p.Target.Live}/versions/1")),
        new("POST /api/journeys/{id}/submit", Design, OK, NotFound, Step("submit", JourneyStage.Draft, t => t.Drafted)),
        new("POST /api/journeys/{id}/approve", Approve, OK, NotFound, Step("approve", JourneyStage.Pending, t => t.Pending)),
        new("POST /api/journeys/{id}/reject", Approve, OK, NotFound, Step("reject", JourneyStage.Pending, t => t.Pending)),
        new("POST /api/journeys/{id}/publish", Design, OK, NotFound, Step("publish", JourneyStage.Approved, t => t.Approved)),
        new("POST /api/journeys/{id}/pause", Design, OK, NotFound, Step("pause", JourneyStage.Active, t => t.Live)),
        new("POST /api/journeys/{id}/resume", Design, OK, NotFound, Step("resume", JourneyStage.Paused, t => t.Paused)),
        new("POST /api/journeys/{id}/archive", Admin, OK, NotFound, Step("archive", JourneyStage.Draft, t => t.Live)),
        new("POST /api/journeys/{id}/enroll", Design, OK, NotFound,
            Send(HttpMethod.Post, p => $"/api/journeys/{p.Target.Live}/enroll", p => new { customerIds = new[] { p.Target.Ada } })),
        new("GET /api/journeys/{id}/stats", Read, OK, NotFound, Get(p => $"/api/journeys/{p.Target.Live}/stats")),
        new("GET /api/journeys/{id}/live", Read, OK, NotFound, Get(p => $"/api/journeys/{p.Target.Live}/live"), Streams: true),

        // §4 segments and templates: read anything; changes for designers. A put names the thing by id, so elsewhere it
        // creates the caller's own.
        new("GET /api/segments", Read, OK, OK, Get(_ => "/api/segments")),
        new("GET /api/segments/{id}", Read, OK, NotFound, Get(p => $"/api/segments/{p.Target.Segment}")),
        new("GET /api/segments/{id}/members", Read, OK, NotFound, Get(p => $"/api/segments/{p.Target.Segment}/members")),
        new("GET /api/segments/{id}/insight", Read, OK, NotFound, Get(p => $"/api/segments/{p.Target.Segment}/insight?traits=plan")),
        new("PUT /api/segments/{id}", Design, OK, OK,
            Send(HttpMethod.Put, p => $"/api/segments/{(p.Changes ? $"{p.Target.Name}-{Guid.NewGuid():N}"[..24] : p.Target.Segment)}", _ => Tenant.SegmentBody("Probe"))),
        new("DELETE /api/segments/{id}", Design, NoContent, NotFound,
            Send(HttpMethod.Delete, async p => $"/api/segments/{(p.Changes ? await p.Target.NewSegmentAsync() : p.Target.Segment)}")),
        new("GET /api/templates", Read, OK, OK, Get(_ => "/api/templates")),
        new("GET /api/templates/{id}", Read, OK, NotFound, Get(p => $"/api/templates/{p.Target.Template}")),
        new("PUT /api/templates/{id}", Design, OK, OK,
            Send(HttpMethod.Put, p => $"/api/templates/{(p.Changes ? $"{p.Target.Name}-{Guid.NewGuid():N}"[..24] : p.Target.Template)}", _ => Tenant.TemplateBody("Probe"))),
        new("DELETE /api/templates/{id}", Design, NoContent, NotFound,
            Send(HttpMethod.Delete, async p => $"/api/templates/{(p.Changes ? await p.Target.NewTemplateAsync() : p.Target.Template)}")),

        // §5 channels: admins set the caller's own workspace's; anyone under /api reads them, without their secrets.
        new("GET /api/channels", Read, OK, OK, Get(_ => "/api/channels")),
        new("PUT /api/channels/webhook", Admin, OK, OK, Channel("webhook")),
        new("PUT /api/channels/sms", Admin, OK, OK, Channel("sms")),
        new("PUT /api/channels/push", Admin, OK, OK, Channel("push")),
        new("PUT /api/channels/email", Admin, OK, OK, Send(HttpMethod.Put, _ => "/api/channels/email", p => new
        {
            host = "smtp.probe.example", port = 465, tls = "ssl", user = "probe", password = p.Drill.NewSecret($"email password sent by {p.Credential.Name}"), from = "probe@probe.example",
        })),
        new("PUT /api/channels/inapp", Admin, BadRequest, BadRequest, Send(HttpMethod.Put, _ => "/api/channels/inapp", _ => new { })),
        new("PUT /api/channels/{channel}", Admin, NotFound, NotFound, Send(HttpMethod.Put, _ => "/api/channels/fax", _ => new { url = "https://fax.example" })),

        // §5 delivery feedback: a receiver's event needs the write key of the message's workspace; a link's signed
        // token is its own credential, and names its workspace whoever follows it.
        new("POST /v1/messages/{messageId}/events", WriteKey, OK, NotFound, Send(HttpMethod.Post, p => $"/v1/messages/{p.Target.MessageId}/events", _ => new { type = "delivered" })),
        new("GET /c/{token}", Anyone, Redirect, Redirect, Get(p => $"/c/{p.Target.ClickToken}")),
        new("GET /o/{token}", Anyone, OK, OK, Get(p => $"/o/{p.Target.OpenToken}")),
        new("GET /u/{token}", Anyone, OK, OK, Get(p => $"/u/{p.Target.UnsubscribeToken}")),
        new("POST /u/{token}", Anyone, OK, OK, Send(HttpMethod.Post, p => $"/u/{p.Target.UnsubscribeToken}")),

        // §7 operations: health for anyone (probes carry no key); the dashboard and metrics show the whole deployment
        // (every workspace's grains, reminders and logs), so only the operator's admin key opens them.
        new("* /health/live", Anyone, OK, OK, Get(_ => "/health/live")),
        new("* /health/ready", Anyone, OK, OK, Get(_ => "/health/ready")),
        new("* /metrics", Operator, OK, Forbidden, Get(_ => "/metrics")),
        Dashboard("", "/"),
        Dashboard("/index.html"),
        Dashboard("/favicon.ico"),
        Dashboard("/index.min.js"),
        Dashboard("/index.css"),
        Dashboard("/fonts/{**path}", "/fonts/fa-solid-900.woff2"),
        Dashboard("/img/{**path}", "/img/OrleansLogo.png"),
        Dashboard("/version"),
        Dashboard("/DashboardCounters"),
        Dashboard("/ClusterStats"),
        Dashboard("/Reminders"),
        Dashboard("/Reminders/{page:int}", "/Reminders/1"),
        Dashboard("/HistoricalStats/{*path}", p => $"/HistoricalStats/{p.Drill.SiloAddress}"),
        Dashboard("/SiloProperties/{*address}", p => $"/SiloProperties/{p.Drill.SiloAddress}"),
        Dashboard("/SiloMetadata/{*address}", p => $"/SiloMetadata/{p.Drill.SiloAddress}"),
        Dashboard("/SiloStats/{*address}", p => $"/SiloStats/{p.Drill.SiloAddress}"),
        Dashboard("/SiloCounters/{*address}", p => $"/SiloCounters/{p.Drill.SiloAddress}"),
        Dashboard("/GrainStats/{*grainName}", "/GrainStats/Waymark.Grains.Workspaces.WorkspaceGrain"),
        Dashboard("/TopGrainMethods"),
        Dashboard("/GrainState", p => $"/GrainState?grainId={p.Target.Id}&grainType=Waymark.Grains.Workspaces.WorkspaceGrain"),
        Dashboard("/LifecycleStages"),
        Dashboard("/GrainTypes"),
        Dashboard("/Trace") with { Streams = true },
    ];

    private static Func<Probe, Task<HttpRequestMessage>> Get(Func<Probe, string> path) =>
        p => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path(p)));

    private static Func<Probe, Task<HttpRequestMessage>> Send(HttpMethod method, Func<Probe, string> path, Func<Probe, object>? body = null) =>
        Send(method, p => Task.FromResult(path(p)), body is null ? null : p => Task.FromResult(body(p)));

    private static Func<Probe, Task<HttpRequestMessage>> Send(HttpMethod method, Func<Probe, Task<string>> path, Func<Probe, Task<object>>? body = null) =>
        async p => new HttpRequestMessage(method, await path(p)) { Content = body is null ? null : JsonContent.Create(await body(p)) };

    private static Func<Probe, Task<HttpRequestMessage>> Send(HttpMethod method, Func<Probe, string> path, Func<Probe, Task<object>> body) =>
        Send(method, p => Task.FromResult(path(p)), body);

    private static Func<Probe, Task<HttpRequestMessage>> Send(HttpMethod method, Func<Probe, Task<string>> path, Func<Probe, object> body) =>
        Send(method, path, p => Task.FromResult(body(p)));

    private static Func<Probe, Task<HttpRequestMessage>> Ingest(string call, Func<Probe, object> message) =>
        Send(HttpMethod.Post, _ => $"/v1/{call}", message);

    private static Func<Probe, Task<HttpRequestMessage>> Inbox(Func<Probe, string> path, HttpMethod? method = null) => p =>
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path(p));
        request.Headers.Add(InboxEndpoints.UserTokenHeader, p.TokenIssuer.UserToken(p.Target.Ada));
        return Task.FromResult(request);
    };

    /// <summary>A journey step; a probe that takes effect gets a journey of its own at <paramref name="needs"/>.</summary>
    private static Func<Probe, Task<HttpRequestMessage>> Step(string step, JourneyStage needs, Func<Tenant, string> shared) =>
        Send(HttpMethod.Post, async p => $"/api/journeys/{(p.Changes ? await p.Target.NewJourneyAsync(needs) : shared(p.Target))}/{step}");

    /// <summary>Replaces a channel's settings with a secret no one has seen yet, so the logs can be searched for it.</summary>
    private static Func<Probe, Task<HttpRequestMessage>> Channel(string channel) =>
        Send(HttpMethod.Put, _ => $"/api/channels/{channel}", p => new
        {
            url = $"https://{channel}.probe.example/in", secret = p.Drill.NewSecret($"{channel} secret sent by {p.Credential.Name}"),
        });

    private static Expectation Dashboard(string route, string? path = null) => Dashboard(route, _ => path ?? route);

    private static Expectation Dashboard(string route, Func<Probe, string> path) =>
        new($"GET /dashboard{route}", Operator, OK, Forbidden, Get(p => "/dashboard" + path(p)));
}
