using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Waymark.Gateway.Tests.Customers;

public class ProfileApiTests(SingleNode node) : IClassFixture<SingleNode>
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);

    [Fact]
    public async Task An_admin_edits_traits_tags_and_subscriptions_and_a_write_to_an_unknown_id_creates_the_customer()
    {
        var user = Segment.NewId("u");
        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(user));

        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.PatchAsync($"/api/customers/{user}/traits", JsonContent.Create(new { name = "Cy", tier = "gold" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.PatchAsync($"/api/customers/{user}/traits", JsonContent.Create(new { tier = (string?)null }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.PutAsync($"/api/customers/{user}/tags/vip", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.PutAsync($"/api/customers/{user}/tags/new", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.DeleteAsync($"/api/customers/{user}/tags/new")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.PutAsJsonAsync($"/api/customers/{user}/subscriptions", new { sms = false })).StatusCode);

        var customer = await segment.Customer(user);
        Assert.Equal(user, customer.GetProperty("id").GetString());
        Assert.Equal("Cy", customer.GetProperty("traits").GetProperty("name").GetString());
        Assert.False(customer.GetProperty("traits").TryGetProperty("tier", out _));
        Assert.Equal(["vip"], Segment.Strings(customer.GetProperty("tags")));
        Assert.False(customer.GetProperty("subscriptions").GetProperty("sms").GetBoolean());
        Assert.True(customer.GetProperty("subscriptions").GetProperty("email").GetBoolean());
        Assert.Equal("UTC", customer.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task Bad_profile_edits_name_the_field_and_change_nothing()
    {
        var user = Segment.NewId("u");
        await segment.Send("identify", new { userId = user, traits = new { name = "Di" } });

        var notObject = await segment.Admin.PatchAsync($"/api/customers/{user}/traits", new StringContent("[1]", Encoding.UTF8, "application/json"));
        Assert.Contains("$", Problem.ErrorPaths(await Problem.AssertAsync(notObject, HttpStatusCode.BadRequest)));
        var badSubscription = await segment.Admin.PutAsync($"/api/customers/{user}/subscriptions", new StringContent("""{"email": "no"}""", Encoding.UTF8, "application/json"));
        Assert.Contains("$.email", Problem.ErrorPaths(await Problem.AssertAsync(badSubscription, HttpStatusCode.BadRequest)));
        var badLimit = await segment.Admin.GetAsync($"/api/customers/{user}/timeline?limit=501");
        Assert.Contains("limit", Problem.ErrorPaths(await Problem.AssertAsync(badLimit, HttpStatusCode.BadRequest)));
        var notNumber = await segment.Admin.GetAsync($"/api/customers/{user}/timeline?limit=many");
        Assert.Equal(["limit"], Problem.ErrorPaths(await Problem.AssertAsync(notNumber, HttpStatusCode.BadRequest)));
        var badCursor = await segment.Admin.GetAsync($"/api/customers/{user}/timeline?cursor=nonsense");
        Assert.Contains("cursor", Problem.ErrorPaths(await Problem.AssertAsync(badCursor, HttpStatusCode.BadRequest)));

        Assert.True((await segment.Customer(user)).GetProperty("subscriptions").GetProperty("email").GetBoolean());
    }

    [Theory]
    [InlineData("""{"plan": "pro", "plan": "free"}""", "$")]
    [InlineData("""{"plan": "\uD800"}""", "$.plan")]
    public async Task Traits_with_a_field_twice_or_that_are_not_text_are_refused_and_the_profile_stays_readable(string traits, string path)
    {
        var user = Segment.NewId("u");
        await segment.Send("identify", new { userId = user, traits = new { plan = "basic" } });

        var response = await segment.Admin.PatchAsync($"/api/customers/{user}/traits", new StringContent(traits, Encoding.UTF8, "application/json"));

        Assert.Equal([path], Problem.ErrorPaths(await Problem.AssertAsync(response, HttpStatusCode.BadRequest)));
        Assert.Equal("basic", (await segment.Customer(user)).GetProperty("traits").GetProperty("plan").GetString());
    }

    [Fact]
    public async Task Traits_with_bytes_that_are_not_utf8_are_refused_at_their_field()
    {
        var user = Segment.NewId("u");
        var body = new ByteArrayContent([.. "{\"plan\": \"a"u8, 0xFF, .. "\"}"u8]);
        body.Headers.ContentType = new("application/json");

        var response = await segment.Admin.PatchAsync($"/api/customers/{user}/traits", body);

        Assert.Equal(["$.plan"], Problem.ErrorPaths(await Problem.AssertAsync(response, HttpStatusCode.BadRequest)));
        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(user));
    }

    [Theory]
    [InlineData("%20%20")]
    [InlineData("255")]
    public async Task A_write_to_an_id_no_customer_can_have_is_refused_and_creates_nobody(string id)
    {
        // One character more than the customer log's key holds beside the "u:" prefix.
        id = id == "255" ? new string('x', 255) : id;

        var tag = await segment.Admin.PutAsync($"/api/customers/{id}/tags/vip", null);
        var traits = await segment.Admin.PatchAsync($"/api/customers/{id}/traits", JsonContent.Create(new { plan = "pro" }));

        Assert.Equal(["id"], Problem.ErrorPaths(await Problem.AssertAsync(tag, HttpStatusCode.BadRequest)));
        Assert.Equal(["id"], Problem.ErrorPaths(await Problem.AssertAsync(traits, HttpStatusCode.BadRequest)));
        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(id));
    }

    [Fact]
    public async Task Merging_a_customer_into_itself_is_a_conflict_even_after_the_two_ids_merged()
    {
        var (survivor, other) = (Segment.NewId("u"), Segment.NewId("a"));
        await segment.Send("identify", new { userId = survivor, traits = new { name = "Ed" } });
        await segment.Send("track", new { anonymousId = other, @event = "visit" });

        await Problem.AssertAsync(await segment.Admin.PostAsJsonAsync($"/api/customers/{survivor}/merge", new { from = survivor }), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await segment.Admin.PostAsJsonAsync($"/api/customers/{survivor}/merge", new { from = other })).StatusCode);
        await Problem.AssertAsync(await segment.Admin.PostAsJsonAsync($"/api/customers/{survivor}/merge", new { from = other }), HttpStatusCode.Conflict);
        var nul = await segment.Admin.PostAsJsonAsync($"/api/customers/{survivor}/merge", new { from = "a\0b" });
        Assert.Equal(["$.from"], Problem.ErrorPaths(await Problem.AssertAsync(nul, HttpStatusCode.BadRequest)));

        Assert.Equal("Ed", (await segment.Customer(survivor)).GetProperty("traits").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_timeline_pages_newest_first_with_a_cursor()
    {
        var user = Segment.NewId("u");
        await segment.Send("batch", new
        {
            batch = Enumerable.Range(0, 7).Select(i => new { type = "track", userId = user, @event = $"e{i}", timestamp = $"2026-11-0{i + 1}T00:00:00Z" }),
        });

        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await segment.Admin.GetFromJsonAsync<JsonElement>($"/api/customers/{user}/timeline?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            names.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["e6", "e5", "e4", "e3", "e2", "e1", "e0"], names);
    }

    [Fact]
    public async Task Erase_removes_the_customer_its_identities_and_history_and_a_later_event_starts_fresh()
    {
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        var email = $"{Segment.NewId("mail")}@example.com";
        await segment.Send("track", new { anonymousId = anonymous, @event = "old" });
        await segment.Send("identify", new { userId = user, anonymousId = anonymous, traits = new { email } });

        Assert.Equal(HttpStatusCode.NoContent, (await segment.Admin.DeleteAsync($"/api/customers/{email}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(user));
        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(anonymous));
        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(email));
        await segment.Send("track", new { userId = user, @event = "new" });
        var fresh = await segment.Customer(user);
        Assert.Empty(fresh.GetProperty("identities").GetProperty("anonymousIds").EnumerateArray());
        Assert.Equal("new", Assert.Single(await segment.Timeline(user)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Viewers_read_customers_but_only_admins_change_them()
    {
        var user = Segment.NewId("u");
        await segment.Send("identify", new { userId = user });
        var issued = await (await segment.Admin.PostAsJsonAsync("/api/keys", new { role = "designer" })).Content.ReadFromJsonAsync<JsonElement>();
        var designer = node.Host.ClientWithBearer(issued.GetProperty("key").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await designer.GetAsync($"/api/customers/{user}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await designer.GetAsync($"/api/customers/{user}/timeline")).StatusCode);
        await Problem.AssertAsync(await designer.PutAsync($"/api/customers/{user}/tags/x", null), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await designer.DeleteAsync($"/api/customers/{user}"), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await designer.PostAsJsonAsync($"/api/customers/{user}/merge", new { from = "x" }), HttpStatusCode.Forbidden);
    }
}
