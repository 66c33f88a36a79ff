using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Waymark.Gateway.Tests.Customers;

public class IngestionTests(SingleNode node) : IClassFixture<SingleNode>
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);

    [Fact]
    public async Task A_tracked_event_creates_the_customer_and_joins_its_timeline()
    {
        var user = Segment.NewId("u");
        await segment.Send("track", new { userId = user, @event = "order_completed", properties = new { amount = 120, orderId = "o-1" }, timestamp = "2026-11-20T10:00:00+08:00" });

        var customer = await segment.Customer(user);
        Assert.Equal(user, customer.GetProperty("id").GetString());
        Assert.Equal(user, customer.GetProperty("identities").GetProperty("userId").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture), customer.GetProperty("firstSeen").GetDateTimeOffset());
        var item = Assert.Single(await segment.Timeline(user));
        Assert.Equal("event", item.GetProperty("kind").GetString());
        Assert.Equal("order_completed", item.GetProperty("name").GetString());
        Assert.Equal(120, item.GetProperty("properties").GetProperty("amount").GetInt32());
    }

    [Fact]
    public async Task Page_and_screen_become_viewed_events_with_their_name()
    {
        var user = Segment.NewId("u");
        await segment.Send("page", new { userId = user, name = "Pricing", properties = new { path = "/pricing" } });
        await segment.Send("screen", new { userId = user, name = "Cart" });

        var names = (await segment.Timeline(user)).Select(i => (i.GetProperty("name").GetString(), i.GetProperty("properties").GetProperty("name").GetString())).ToList();
        Assert.Contains(("page_viewed", "Pricing"), names);
        Assert.Contains(("screen_viewed", "Cart"), names);
    }

    [Fact]
    public async Task A_write_key_in_the_body_is_accepted_without_a_header()
    {
        var user = Segment.NewId("u");
        var client = node.Host.CreateClient();
        var response = await client.PostAsJsonAsync("/v1/identify", new { writeKey = node.WriteKey, userId = user, traits = new { plan = "pro" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pro", (await segment.Customer(user)).GetProperty("traits").GetProperty("plan").GetString());
    }

    [Fact]
    public async Task Missing_unknown_or_non_write_keys_are_refused()
    {
        var message = new { userId = "u-x", @event = "e" };
        await Problem.AssertAsync(await node.Host.CreateClient().PostAsJsonAsync("/v1/track", message), HttpStatusCode.Unauthorized);
        await Problem.AssertAsync(await node.Host.ClientWithBasic("wk_unknown", "").PostAsJsonAsync("/v1/track", message), HttpStatusCode.Unauthorized);
        await Problem.AssertAsync(await node.Host.ClientWithBearer(node.AdminKey).PostAsJsonAsync("/v1/track", message), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_gzip_body_is_read_whatever_its_content_type()
    {
        var user = Segment.NewId("u");
        var json = JsonSerializer.SerializeToUtf8Bytes(new { batch = new object[] { new { type = "track", userId = user, @event = "zipped" } } });
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(json);
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new("text/plain");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await segment.Writer.PostAsync("/v1/batch", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("zipped", Assert.Single(await segment.Timeline(user)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_read_as_json()
    {
        var user = Segment.NewId("u");
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { userId = user, @event = "bare" }));

        var response = await segment.Writer.PostAsync("/v1/track", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bare", Assert.Single(await segment.Timeline(user)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task One_bad_message_rejects_the_whole_batch_naming_its_index_and_field()
    {
        var good = Segment.NewId("u");
        var body = JsonSerializer.Serialize(new { batch = new object[] { new { type = "track", userId = good, @event = "fine" }, new { type = "track", @event = "no id" } } });

        var problem = await Problem.AssertAsync(await segment.Post("batch", body), HttpStatusCode.BadRequest);

        Assert.Contains(Problem.ErrorPaths(problem), path => path.StartsWith("$.batch[1]", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(good));
    }

    [Fact]
    public async Task Oversized_messages_and_requests_are_413_and_change_nothing()
    {
        var user = Segment.NewId("u");
        var bigMessage = JsonSerializer.Serialize(new { userId = user, @event = "big", properties = new { blob = new string('x', 33 * 1024) } });
        await Problem.AssertAsync(await segment.Post("track", bigMessage), HttpStatusCode.RequestEntityTooLarge);

        var manyMessages = JsonSerializer.Serialize(new
        {
            batch = Enumerable.Range(0, 40).Select(_ => new { type = "track", userId = user, @event = "bulk", properties = new { blob = new string('y', 15 * 1024) } }),
        });
        await Problem.AssertAsync(await segment.Post("batch", manyMessages), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(HttpStatusCode.NotFound, await segment.CustomerStatus(user));
    }

    [Fact]
    public async Task A_user_id_or_event_name_the_customer_log_cannot_key_is_refused_naming_it()
    {
        var longest = new string('l', 254);
        await segment.Send("identify", new { userId = longest });

        var tooLong = await segment.Post("identify", JsonSerializer.Serialize(new { userId = longest + "x" }));
        var nulId = await segment.Post("identify", JsonSerializer.Serialize(new { userId = "u\0" }));
        var nulEvent = await segment.Post("track", JsonSerializer.Serialize(new { userId = longest, @event = "signed\0up" }));

        Assert.Equal(["$.userId"], Problem.ErrorPaths(await Problem.AssertAsync(tooLong, HttpStatusCode.BadRequest)));
        Assert.Equal(["$.userId"], Problem.ErrorPaths(await Problem.AssertAsync(nulId, HttpStatusCode.BadRequest)));
        Assert.Equal(["$.event"], Problem.ErrorPaths(await Problem.AssertAsync(nulEvent, HttpStatusCode.BadRequest)));
        Assert.Equal(HttpStatusCode.OK, await segment.CustomerStatus(longest));
    }

    [Fact]
    public async Task A_retried_message_id_is_acknowledged_and_applied_once()
    {
        var user = Segment.NewId("u");
        var message = new { userId = user, @event = "paid", messageId = "m-1" };
        await segment.Send("track", message);
        await segment.Send("track", message);
        await segment.Send("batch", new { batch = new[] { new { type = "track", userId = user, @event = "paid", messageId = "m-1" } } });

        Assert.Single(await segment.Timeline(user));
    }

    [Fact]
    public async Task Identify_merges_traits_shallowly_including_context_traits()
    {
        var user = Segment.NewId("u");
        await segment.Send("identify", new { userId = user, traits = new { name = "Ada", plan = "free", address = new { city = "Paris" } } });
        await segment.Send("identify", new { userId = user, traits = new { plan = "pro", address = new { zip = "75001" } }, context = new { traits = new { locale = "fr" } } });
        await segment.Send("track", new { userId = user, @event = "seen", context = new { traits = new { vip = true } } });

        var traits = (await segment.Customer(user)).GetProperty("traits");
        Assert.Equal("Ada", traits.GetProperty("name").GetString());
        Assert.Equal("pro", traits.GetProperty("plan").GetString());
        Assert.False(traits.GetProperty("address").TryGetProperty("city", out _)); // shallow: the whole address was replaced
        Assert.Equal("fr", traits.GetProperty("locale").GetString());
        Assert.True(traits.GetProperty("vip").GetBoolean());
    }

    [Fact]
    public async Task Group_stores_the_group_and_its_traits_on_the_customer()
    {
        var user = Segment.NewId("u");
        await segment.Send("group", new { userId = user, groupId = "acme-corp", traits = new { industry = "retail", employees = 120 } });

        var group = (await segment.Customer(user)).GetProperty("groups").GetProperty("acme-corp");
        Assert.Equal("retail", group.GetProperty("industry").GetString());
        Assert.Equal(120, group.GetProperty("employees").GetInt32());
    }

    [Fact]
    public async Task Another_workspace_never_sees_or_changes_these_customers()
    {
        var user = Segment.NewId("u");
        await segment.Send("identify", new { userId = user, traits = new { owner = "default" } });
        var other = await (await segment.Admin.PostAsJsonAsync("/api/workspaces", new { id = Segment.NewId("ws") })).Content.ReadFromJsonAsync<JsonElement>();
        var otherSegment = new Segment(node.Host, other.GetProperty("writeKey").GetString()!, other.GetProperty("adminKey").GetString()!);

        Assert.Equal(HttpStatusCode.NotFound, await otherSegment.CustomerStatus(user));
        await otherSegment.Send("identify", new { userId = user, traits = new { owner = "other" } });

        Assert.Equal("default", (await segment.Customer(user)).GetProperty("traits").GetProperty("owner").GetString());
        Assert.Equal("other", (await otherSegment.Customer(user)).GetProperty("traits").GetProperty("owner").GetString());
    }
}
