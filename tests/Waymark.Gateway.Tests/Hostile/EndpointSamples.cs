namespace Waymark.Gateway.Tests.Hostile;

/// <summary>A valid request to each endpoint that binds anything, against <see cref="HostileWorkspace"/>.</summary>
internal static class EndpointSamples
{
    /// <summary>Samples by endpoint name (<see cref="HostileEndpoint.Name"/>).</summary>
    public static IReadOnlyDictionary<string, EndpointSample> ForWorkspace(HostileWorkspace workspace)
    {
        var customer = new Dictionary<string, string> { ["id"] = HostileWorkspace.Customer };
        var journey = new Dictionary<string, string> { ["id"] = HostileWorkspace.Journey };
        var segment = new Dictionary<string, string> { ["id"] = HostileWorkspace.Segment };
        var template = new Dictionary<string, string> { ["id"] = HostileWorkspace.Template };
        var step = new EndpointSample { Route = journey, Body = """{"comment": "hostile"}""" };
        var samples = new Dictionary<string, EndpointSample>(StringComparer.Ordinal)
        {
            ["POST /api/keys"] = new() { Body = """{"role": "viewer", "name": "hostile"}""" },
            ["DELETE /api/keys/{id}"] = new() { Route = new Dictionary<string, string> { ["id"] = "hostile-key" } },
            ["POST /api/workspaces"] = new() { Body = """{"id": "hostile-ws"}""" },
            ["PUT /api/workspace/settings"] = new()
            {
                Body = """
                    {"timezone": "UTC", "quietHours": {"start": "22:00", "end": "08:00"}, "frequencyCap": {"count": 3, "window": "PT24H"},
                     "identityTraits": ["email", "phone"], "rfmWindow": "P365D"}
                    """,
            },
            ["GET /api/customers/{id}"] = new() { Route = customer },
            ["PATCH /api/customers/{id}/traits"] = new() { Route = customer, Body = """{"plan": "pro"}""", FreeObjects = Paths("$"), CreatesOnUnknownId = true },
            ["PUT /api/customers/{id}/tags/{tag}"] = new() { Route = new Dictionary<string, string> { ["id"] = HostileWorkspace.Customer, ["tag"] = "vip" }, CreatesOnUnknownId = true },
            ["DELETE /api/customers/{id}/tags/{tag}"] = new() { Route = new Dictionary<string, string> { ["id"] = HostileWorkspace.Customer, ["tag"] = "vip" }, CreatesOnUnknownId = true },
            ["PUT /api/customers/{id}/subscriptions"] = new() { Route = customer, Body = """{"email": false}""", OpenObjects = Paths("$"), CreatesOnUnknownId = true },
            ["POST /api/customers/{id}/merge"] = new() { Route = customer, Body = $$"""{"from": "{{HostileWorkspace.OtherCustomer}}"}""", LogKeys = Paths("$.from") },
            ["GET /api/customers/{id}/timeline"] = new() { Route = customer, Query = new Dictionary<string, string> { ["limit"] = "10" } },
            ["DELETE /api/customers/{id}"] = new() { Route = new Dictionary<string, string> { ["id"] = "hostile-nobody" } },
            ["POST /api/journeys/validate"] = new() { Body = HostileWorkspace.Canvas, Stateless = true },
            ["GET /api/journeys/{id}"] = new() { Route = journey },
            ["PUT /api/journeys/{id}"] = new() { Route = journey, Body = HostileWorkspace.Canvas },
            ["GET /api/journeys/{id}/versions/{version:int}"] = new() { Route = new Dictionary<string, string> { ["id"] = HostileWorkspace.Journey, ["version"] = "1" } },
            ["POST /api/journeys/{id}/submit"] = step,
            ["POST /api/journeys/{id}/approve"] = step,
            ["POST /api/journeys/{id}/reject"] = step,
            ["POST /api/journeys/{id}/publish"] = step,
            ["POST /api/journeys/{id}/pause"] = step,
            ["POST /api/journeys/{id}/resume"] = step,
            ["POST /api/journeys/{id}/archive"] = step,
            ["POST /api/journeys/{id}/enroll"] = new() { Route = journey, Body = $$"""{"customerIds": ["{{HostileWorkspace.Customer}}"]}""", LogKeys = Paths("$.customerIds[0]") },
            ["GET /api/journeys/{id}/stats"] = new()
            {
                Route = journey,
                Query = new Dictionary<string, string> { ["version"] = "1", ["from"] = "2024-05-01T00:00:00Z", ["to"] = "2024-05-02T00:00:00Z", ["bucket"] = "PT1H" },
            },
            ["GET /api/journeys/{id}/live"] = new() { Route = journey },
            ["GET /api/segments/{id}"] = new() { Route = segment },
            ["GET /api/segments/{id}/members"] = new() { Route = segment, Query = new Dictionary<string, string> { ["limit"] = "10", ["format"] = "json", ["traits"] = "email" } },
            ["GET /api/segments/{id}/insight"] = new() { Route = segment, Query = new Dictionary<string, string> { ["traits"] = "email" } },
            ["PUT /api/segments/{id}"] = new()
            {
                Route = segment,
                Body = """{"name": "Hostile", "description": "probe", "where": {"tag": "vip"}}""",
                UnboundedTexts = Paths("$.description", "$.where.tag"),
            },
            ["DELETE /api/segments/{id}"] = new() { Route = new Dictionary<string, string> { ["id"] = "hostile-absent" } },
            ["GET /api/templates/{id}"] = new() { Route = template },
            ["PUT /api/templates/{id}"] = new() { Route = template, Body = """{"channel": "email", "subject": "Hi", "html": "<p>Hi {{ customer.id }}</p>", "text": "Hi"}""" },
            ["DELETE /api/templates/{id}"] = new() { Route = new Dictionary<string, string> { ["id"] = "hostile-absent" } },
            ["PUT /api/channels/email"] = new()
            {
                Body = """{"host": "smtp.hostile.test", "port": 587, "tls": "starttls", "user": "u", "password": "p", "from": "news@hostile.test", "ratePerSecond": 5}""",
            },
            ["GET /dashboard/Reminders/{page:int}"] = new() { Route = new Dictionary<string, string> { ["page"] = "1" } },
            ["PUT /api/channels/{channel}"] = new() { Route = new Dictionary<string, string> { ["channel"] = "fax" } },
            ["POST /v1/messages/{messageId}/events"] = new() { Route = new Dictionary<string, string> { ["messageId"] = "hostile-message" }, Body = """{"type": "delivered"}""" },
        };

        var inbox = new Dictionary<string, string> { ["Waymark-User-Token"] = workspace.InboxToken };
        samples["GET /v1/inbox/{userId}"] = new() { Route = new Dictionary<string, string> { ["userId"] = HostileWorkspace.Customer }, Headers = inbox };
        samples["POST /v1/inbox/{userId}/{messageId}/read"] = new()
        {
            Route = new Dictionary<string, string> { ["userId"] = HostileWorkspace.Customer, ["messageId"] = "hostile-message" },
            Headers = inbox,
        };

        foreach (var channel in new[] { "webhook", "sms", "push" })
        {
            samples[$"PUT /api/channels/{channel}"] = new() { Body = """{"url": "https://hooks.hostile.test/in", "secret": "0123456789abcdef0123", "ratePerSecond": 10}""" };
        }

        // Segment messages may carry any other member, and their ids may be numbers.
        var ids = new[] { "userId", "anonymousId", "previousId", "groupId", "messageId" };
        var logKeys = new[] { "userId", "anonymousId", "previousId", "event" };
        foreach (var (call, message) in new Dictionary<string, string>
        {
            ["identify"] = $$$"""{"userId": "{{{HostileWorkspace.Customer}}}", "traits": {"plan": "pro"}, "context": {"ip": "127.0.0.1"}}""",
            ["track"] = $$"""{"userId": "{{HostileWorkspace.Customer}}", "event": "Hostile Probe", "properties": {"n": 1}, "timestamp": "2024-05-01T12:00:00Z"}""",
            ["page"] = $$$"""{"anonymousId": "hostile-a1", "name": "Home", "category": "Docs", "properties": {"path": "/"}}""",
            ["screen"] = $$$"""{"userId": "{{{HostileWorkspace.Customer}}}", "name": "Home", "properties": {"path": "/"}}""",
            ["group"] = $$$"""{"userId": "{{{HostileWorkspace.Customer}}}", "groupId": "acme", "traits": {"name": "Acme"}}""",
            ["alias"] = $$"""{"previousId": "hostile-a1", "userId": "{{HostileWorkspace.Customer}}", "messageId": "hostile-m1"}""",
        })
        {
            samples[$"POST /v1/{call}"] = new()
            {
                Body = message,
                OpenObjects = Paths("$"),
                FreeObjects = Paths("$.traits", "$.properties", "$.context"),
                NumbersToo = Paths([.. ids.Select(id => $"$.{id}")]),
                LogKeys = Paths([.. logKeys.Select(key => $"$.{key}")]),
            };
        }

        samples["POST /v1/batch"] = new()
        {
            Body = $$$"""{"batch": [{"type": "track", "userId": "{{{HostileWorkspace.Customer}}}", "event": "Hostile Probe", "properties": {"n": 1}}], "context": {"ip": "127.0.0.1"}}""",
            OpenObjects = Paths("$", "$.batch[0]"),
            FreeObjects = Paths("$.context", "$.batch[0].properties"),
            NumbersToo = Paths([.. ids.Select(id => $"$.batch[0].{id}")]),
            LogKeys = Paths([.. logKeys.Select(key => $"$.batch[0].{key}")]),
        };

        // A link's token is its own credential: a valid one would click, open or unsubscribe; these are not ones.
        foreach (var link in new[] { "GET /c/{token}", "GET /o/{token}", "GET /u/{token}", "POST /u/{token}" })
        {
            samples[link] = new() { Route = new Dictionary<string, string> { ["token"] = "hostile-token" } };
        }

        return samples;
    }

    private static HashSet<string> Paths(params string[] paths) => new(paths, StringComparer.Ordinal);
}
