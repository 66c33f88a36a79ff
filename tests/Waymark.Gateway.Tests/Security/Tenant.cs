using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Gateway.Inbox;
using Waymark.Gateway.Tests.Journeys;
using Waymark.Gateway.Tests.Runtime;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Security;

/// <summary>
/// One workspace of the drill, seeded through the API as its team would: a key of every role, a revoked key, a
/// customer with an in-app message in its inbox, a journey in every state, a segment, a template and every channel
/// with its secret. Each of its names and texts carries <see cref="Marker"/>, so any answer that shows this
/// workspace's data to another is caught by a string search.
/// </summary>
internal sealed class Tenant
{
    private readonly IDictionary<string, string> secrets;

    private Tenant(GatewayHost host, string id, string name, IDictionary<string, string> secrets)
    {
        Host = host;
        Id = id;
        Name = name;
        Marker = $"{name}-{Guid.NewGuid():N}"[..20];
        Private.Add(Marker);
        this.secrets = secrets;
    }

    public GatewayHost Host { get; }

    public string Id { get; }

    /// <summary>alpha or beta, as failures name the tenant.</summary>
    public string Name { get; }

    /// <summary>A string in every name and text of this workspace's data, and nowhere else.</summary>
    public string Marker { get; }

    /// <summary>The secret of each key by role: write, viewer, designer, approver, admin.</summary>
    public Dictionary<string, string> Keys { get; } = [];

    /// <summary>An admin key revoked since it was issued.</summary>
    public string RevokedKey { get; private set; } = "";

    /// <summary>A viewer key no probe uses: what a key revocation from the other workspace aims at.</summary>
    public string SpareKeyId { get; private set; } = "";

    /// <summary>Strings that only this workspace's keys may ever be shown: the marker and its key ids.</summary>
    public List<string> Private { get; } = [];

    public string InboxSecret { get; private set; } = "";

    public string Ada => $"{Name}-ada";

    public string Bob => $"{Name}-bob";

    /// <summary>Journeys in every state of api.md §3, each the target of the step that state allows.</summary>
    public string Live => $"{Name}-live";

    public string Paused => $"{Name}-paused";

    public string Approved => $"{Name}-approved";

    public string Pending => $"{Name}-pending";

    public string Drafted => $"{Name}-drafted";

    public string Segment => $"{Name}-vip";

    public string Template => $"{Name}-note";

    /// <summary>The in-app message <see cref="Live"/> sent to <see cref="Ada"/>.</summary>
    public string MessageId { get; private set; } = "";

    public string ClickToken { get; private set; } = "";

    public string OpenToken { get; private set; } = "";

    public string UnsubscribeToken { get; private set; } = "";

    public HttpClient Admin => Host.ClientWithBearer(Keys["admin"]);

    public HttpClient Designer => Host.ClientWithBearer(Keys["designer"]);

    public HttpClient Approver => Host.ClientWithBearer(Keys["approver"]);

    public HttpClient Writer => Host.ClientWithBasic(Keys["write"], "");

    /// <summary>The user token the app's backend computes for <paramref name="userId"/> (api.md §5).</summary>
    public string UserToken(string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(InboxSecret), Encoding.UTF8.GetBytes(userId)));

    /// <param name="secrets">Where the tenant records, by what it is, every secret it makes or is given.</param>
    public static async Task<Tenant> SeedAsync(GatewayHost host, string id, string name, string writeKey, string adminKey, IDictionary<string, string> secrets)
    {
        var tenant = new Tenant(host, id, name, secrets);
        tenant.Keys["write"] = writeKey;
        tenant.Keys["admin"] = adminKey;
        await tenant.SeedKeysAsync();
        await tenant.SeedChannelsAsync();
        await tenant.SeedDefinitionsAsync();
        await tenant.SeedCustomersAsync();
        await tenant.SeedJourneysAsync();
        await tenant.SendMessageAsync();
        await tenant.SeedLinksAsync();
        return tenant;
    }

    /// <summary>A key of <paramref name="role"/>; returns its id and secret.</summary>
    public async Task<(string Id, string Secret)> IssueKeyAsync(string role)
    {
        var issued = await Expect(await Admin.PostAsJsonAsync("/api/keys", new { role, name = $"{role} of {Marker}" }), HttpStatusCode.Created);
        var (keyId, secret) = (issued.GetProperty("id").GetString()!, issued.GetProperty("key").GetString()!);
        Private.Add(keyId);
        secrets[$"{role} key {keyId} of {Name}"] = secret;
        return (keyId, secret);
    }

    /// <summary>A customer of its own (created by a trait edit, as api.md §2 allows), for a probe to erase or merge away.</summary>
    public async Task<string> NewCustomerAsync()
    {
        var id = $"{Name}-{Guid.NewGuid():N}"[..24];
        await Expect(await Admin.PatchAsJsonAsync($"/api/customers/{id}/traits", new { plan = "basic" }), HttpStatusCode.OK);
        return id;
    }

    /// <summary>A journey of its own, brought to <paramref name="stage"/> by the team, for a probe to move on.</summary>
    public async Task<string> NewJourneyAsync(JourneyStage stage)
    {
        var id = $"{Name}-{Guid.NewGuid():N}"[..24];
        await BringAsync(id, SimpleCanvas(id), stage);
        return id;
    }

    public async Task<string> NewSegmentAsync()
    {
        var id = $"{Name}-{Guid.NewGuid():N}"[..24];
        await Expect(await Designer.PutAsJsonAsync($"/api/segments/{id}", SegmentBody("Spare")), HttpStatusCode.OK);
        return id;
    }

    public async Task<string> NewTemplateAsync()
    {
        var id = $"{Name}-{Guid.NewGuid():N}"[..24];
        await Expect(await Designer.PutAsJsonAsync($"/api/templates/{id}", TemplateBody("Spare")), HttpStatusCode.OK);
        return id;
    }

    public static object SegmentBody(string name) => new { name, where = new { trait = "plan", op = "eq", value = "gold" } };

    public static object TemplateBody(string subject) => new { channel = "email", subject, html = "<p>Hello</p>", text = "Hello" };

    public static JsonNode SimpleCanvas(string name) => DesignTeam.SimpleCanvas(name);

    public static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status) =>
        await DesignTeam.ExpectAsync(response, status);

    /// <summary>Takes a journey through the approval workflow (designer saves, submits, publishes; approver approves) up to <paramref name="stage"/>.</summary>
    private async Task BringAsync(string id, JsonNode canvas, JourneyStage stage)
    {
        await Expect(await Designer.PutAsJsonAsync($"/api/journeys/{id}", canvas), HttpStatusCode.OK);
        var steps = new (JourneyStage Reached, HttpClient By, string Step)[]
        {
            (JourneyStage.Pending, Designer, "submit"),
            (JourneyStage.Approved, Approver, "approve"),
            (JourneyStage.Active, Designer, "publish"),
            (JourneyStage.Paused, Designer, "pause"),
        };
        foreach (var (reached, by, step) in steps.Where(s => s.Reached <= stage))
        {
            await Expect(await by.PostAsync($"/api/journeys/{id}/{step}", null), HttpStatusCode.OK);
        }
    }

    private async Task SeedKeysAsync()
    {
        secrets[$"write key of {Name}"] = Keys["write"];
        secrets[$"admin key of {Name}"] = Keys["admin"];
        Private.AddRange((await Admin.GetFromJsonAsync<JsonElement[]>("/api/keys"))!.Select(k => k.GetProperty("id").GetString()!));
        foreach (var role in new[] { "viewer", "designer", "approver" })
        {
            Keys[role] = (await IssueKeyAsync(role)).Secret;
        }

        SpareKeyId = (await IssueKeyAsync("viewer")).Id;
        var revoked = await IssueKeyAsync("admin");
        await Expect(await Admin.DeleteAsync($"/api/keys/{revoked.Id}"), HttpStatusCode.NoContent);
        RevokedKey = revoked.Secret;

        InboxSecret = (await Admin.GetFromJsonAsync<JsonElement>("/api/workspace/settings")).GetProperty("inboxSecret").GetString()!;
        secrets[$"inbox secret of {Name}"] = InboxSecret;
    }

    private async Task SeedChannelsAsync()
    {
        foreach (var channel in new[] { "webhook", "sms", "push" })
        {
            var secret = secrets[$"{channel} secret of {Name}"] = $"{channel}-secret-{Guid.NewGuid():N}";
            await Expect(await Admin.PutAsJsonAsync($"/api/channels/{channel}", new { url = $"https://{channel}.{Marker}.example/in", secret }), HttpStatusCode.OK);
        }

        var password = secrets[$"email password of {Name}"] = $"smtp-password-{Guid.NewGuid():N}";
        await Expect(await Admin.PutAsJsonAsync("/api/channels/email", new
        {
            host = $"smtp.{Marker}.example", port = 587, tls = "starttls", user = $"mailer-{Marker}", password, from = $"news@{Marker}.example",
        }), HttpStatusCode.OK);
    }

    private async Task SeedDefinitionsAsync()
    {
        await Expect(await Designer.PutAsJsonAsync($"/api/segments/{Segment}", SegmentBody($"VIP {Marker}")), HttpStatusCode.OK);
        await Expect(await Designer.PutAsJsonAsync($"/api/templates/{Template}", TemplateBody($"Note {Marker}")), HttpStatusCode.OK);
    }

    private async Task SeedCustomersAsync()
    {
        await Send("identify", new { userId = Ada, traits = new { email = $"ada@{Marker}.example", motto = Marker, plan = "gold" } });
        await Send("identify", new { userId = Bob, traits = new { motto = Marker, plan = "basic" } });
        await Expect(await Admin.PutAsync($"/api/customers/{Ada}/tags/vip", null), HttpStatusCode.OK);

        // The backfill settles before anyone compares this workspace's state.
        var segment = await Poll.Until(
            async () => await Admin.GetFromJsonAsync<JsonElement>($"/api/segments/{Segment}"),
            s => s.GetProperty("status").GetString() == "ready" && s.GetProperty("count").GetInt64() == 1);
        Assert.Equal("ready", segment.GetProperty("status").GetString());
    }

    private async Task SeedJourneysAsync()
    {
        var live = JsonNode.Parse($$$"""
            {
              "name": "Live {{{Marker}}}",
              "trigger": { "type": "event", "event": "ordered" },
              "start": "notify",
              "nodes": [
                { "id": "notify", "type": "send", "channel": "inapp", "category": "transactional",
                  "template": { "title": "Thanks {{{Marker}}}", "body": "Your order is on its way.",
                                "url": "{{ \"https://shop.example/orders\" | track }}" }, "next": "done" },
                { "id": "done", "type": "exit" }
              ]
            }
            """)!;
        await BringAsync(Live, live, JourneyStage.Active);
        await BringAsync(Paused, SimpleCanvas($"Paused {Marker}"), JourneyStage.Paused);
        await BringAsync(Approved, SimpleCanvas($"Approved {Marker}"), JourneyStage.Approved);
        await BringAsync(Pending, SimpleCanvas($"Pending {Marker}"), JourneyStage.Pending);
        await BringAsync(Drafted, SimpleCanvas($"Drafted {Marker}"), JourneyStage.Draft);
    }

    /// <summary>Ada orders: the live journey puts a message in her inbox, and her run ends.</summary>
    private async Task SendMessageAsync()
    {
        await Send("track", new { userId = Ada, @event = "ordered" });
        static bool Sent(JsonElement item) => item.GetProperty("kind").GetString() == "message" && item.GetProperty("status").GetString() == "sent";
        var timeline = await Poll.Until(
            async () => (await Admin.GetFromJsonAsync<JsonElement>($"/api/customers/{Ada}/timeline")).GetProperty("items").EnumerateArray().ToArray(),
            items => items.Any(Sent) && items.Any(i => i.GetProperty("kind").GetString() == "exited"));
        var sent = Assert.Single(timeline, Sent);
        Assert.Contains(timeline, i => i.GetProperty("kind").GetString() == "exited");
        MessageId = sent.GetProperty("messageId").GetString()!;
        secrets[$"user token of {Ada}"] = UserToken(Ada);
    }

    /// <summary>
    /// The message's tracked link as the runtime rendered it, and the open and unsubscribe links an email of it would
    /// carry, signed as the runtime signs them. Each is followed once here: a link counts once per message, so the
    /// drill's own clicks change nothing it later compares.
    /// </summary>
    private async Task SeedLinksAsync()
    {
        var app = Writer;
        app.DefaultRequestHeaders.Add(InboxEndpoints.UserTokenHeader, UserToken(Ada));
        var message = Assert.Single((await app.GetFromJsonAsync<JsonElement>($"/v1/inbox/{Ada}")).GetProperty("messages").EnumerateArray());
        ClickToken = message.GetProperty("url").GetString()!.Split("/c/")[1];

        var key = await Host.Services.GetRequiredService<TrackingKeys>().SigningKeyAsync(Id);
        string Token(TrackingPurpose purpose) => new TrackingToken(purpose, Id, CustomerKeys.User(Ada), MessageId, "").Sign(key);
        (OpenToken, UnsubscribeToken) = (Token(TrackingPurpose.Open), Token(TrackingPurpose.Unsubscribe));
        secrets[$"tracking secret of {Name}"] = (await Host.Services.GetRequiredService<IGrainFactory>().GetGrain<ITrackingSecretGrain>(Id).Find())!.Value;

        var anonymous = Host.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/c/{ClickToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/o/{OpenToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/u/{UnsubscribeToken}")).StatusCode);
    }

    private async Task Send(string call, object message) =>
        await Expect(await Writer.PostAsJsonAsync($"/v1/{call}", message), HttpStatusCode.OK);
}

/// <summary>How far a journey has come in api.md §3's workflow.</summary>
internal enum JourneyStage
{
    Draft,
    Pending,
    Approved,
    Active,
    Paused,
}
