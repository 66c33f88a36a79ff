using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Waymark.Gateway.Tests.Journeys.DesignTeam;

namespace Waymark.Gateway.Tests.Journeys;

public class SegmentAndTemplateApiTests(SingleNode node) : IClassFixture<SingleNode>, IAsyncLifetime
{
    private DesignTeam team = null!;

    public async Task InitializeAsync() => team = await JoinAsync(node);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private static object Segment(string name, object where) => new { name, where };

    [Fact]
    public async Task A_segment_is_saved_read_listed_and_deleted()
    {
        var id = NewId("s");
        var saved = await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{id}",
            Segment("Diamond VIP", new { trait = "memberLevel", op = "eq", value = "diamond" })), HttpStatusCode.OK);
        Assert.Equal("memberLevel", saved.GetProperty("where").GetProperty("trait").GetString());

        var read = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/{id}");
        Assert.Equal("Diamond VIP", read.GetProperty("name").GetString());
        Assert.Contains((await team.Viewer.GetFromJsonAsync<JsonElement>("/api/segments")).EnumerateArray(), s => s.GetProperty("id").GetString() == id);

        await ExpectAsync(await team.Designer.DeleteAsync($"/api/segments/{id}"), HttpStatusCode.NoContent);
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/segments/{id}"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await team.Designer.DeleteAsync($"/api/segments/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_segment_is_refused_with_its_paths()
    {
        var id = NewId("s");
        var problem = await Problem.AssertAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{id}", Segment("Broken", new
        {
            all = new object[]
            {
                new { trait = "age", op = "gte", value = 30 },
                new { @event = "order_completed", count = new { op = "gt", value = "three" } },
                new { property = "score", op = "lt", value = 7 },
            },
        })), HttpStatusCode.BadRequest);

        var paths = Problem.ErrorPaths(problem).ToList();
        Assert.Contains("$.where.all[1].count.value", paths);
        Assert.Contains(paths, p => p.StartsWith("$.where.all[2]", StringComparison.Ordinal));
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/segments/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Segments_cannot_form_a_cycle()
    {
        var a = NewId("a");
        var b = NewId("b");
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{a}", Segment("A", new { tag = "vip" })), HttpStatusCode.OK);
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{b}", Segment("B", new { segment = a })), HttpStatusCode.OK);

        var problem = await Problem.AssertAsync(
            await team.Designer.PutAsJsonAsync($"/api/segments/{a}", Segment("A", new { segment = b })), HttpStatusCode.BadRequest);
        Assert.Equal(["$.where.segment"], Problem.ErrorPaths(problem));
        Assert.Equal("vip", (await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/segments/{a}")).GetProperty("where").GetProperty("tag").GetString());
    }

    [Fact]
    public async Task A_segment_in_use_cannot_be_deleted()
    {
        var used = NewId("s");
        var user = NewId("s");
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{used}", Segment("Used", new { tag = "vip" })), HttpStatusCode.OK);
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{user}", Segment("User", new { not = new { segment = used } })), HttpStatusCode.OK);
        var bySegment = await Problem.AssertAsync(await team.Designer.DeleteAsync($"/api/segments/{used}"), HttpStatusCode.Conflict);
        Assert.Contains(user, bySegment.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ExpectAsync(await team.Designer.DeleteAsync($"/api/segments/{user}"), HttpStatusCode.NoContent);

        var journey = NewId("j");
        var canvas = SimpleCanvas();
        canvas["trigger"] = new JsonObject { ["type"] = "segment", ["segment"] = used, ["on"] = "enter" };
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{journey}", canvas), HttpStatusCode.OK);
        var byJourney = await Problem.AssertAsync(await team.Designer.DeleteAsync($"/api/segments/{used}"), HttpStatusCode.Conflict);
        Assert.Contains(journey, byJourney.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await ExpectAsync(await team.Admin.PostAsync($"/api/journeys/{journey}/archive", null), HttpStatusCode.OK);
        await ExpectAsync(await team.Designer.DeleteAsync($"/api/segments/{used}"), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_journey_naming_an_unknown_segment_or_template_is_refused()
    {
        var canvas = SimpleCanvas();
        canvas["trigger"] = new JsonObject { ["type"] = "segment", ["segment"] = "no-such-segment", ["on"] = "enter" };
        canvas["nodes"]![0] = JsonNode.Parse("""{ "id": "pause", "type": "send", "channel": "email", "templateId": "no-such-template", "next": "done" }""");

        var problem = await Problem.AssertAsync(await team.Designer.PostAsJsonAsync("/api/journeys/validate", canvas), HttpStatusCode.BadRequest);
        Assert.Equal(["$.nodes[0].templateId", "$.trigger.segment"], Problem.ErrorPaths(problem).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("segments")]
    [InlineData("templates")]
    public async Task A_definition_with_bytes_that_are_not_utf8_is_refused_at_that_string(string kind)
    {
        var id = NewId(kind[..1]);

        // A stray continuation byte (80) in the name or text: JSON that parses, a string that is no text.
        byte[] body = kind == "segments"
            ? [.. """{"name": "V"""u8, 0x80, .. """IP", "where": {"tag": "vip"}}"""u8]
            : [.. """{"channel": "sms", "text": "Hi"""u8, 0x80, .. "\"}"u8];
        var response = await team.Designer.PutAsync($"/api/{kind}/{id}", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        Assert.Equal([kind == "segments" ? "$.name" : "$.text"], Problem.ErrorPaths(await Problem.AssertAsync(response, HttpStatusCode.BadRequest)));
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/{kind}/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_template_is_validated_when_saved()
    {
        var id = NewId("t");
        var problem = await Problem.AssertAsync(await team.Designer.PutAsJsonAsync($"/api/templates/{id}", new
        {
            channel = "sms",
            text = "Hi {{ customer.traits.name ",
            subject = "not for sms",
        }), HttpStatusCode.BadRequest);

        Assert.Equal(["$.subject", "$.text"], Problem.ErrorPaths(problem).Order(StringComparer.Ordinal));
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/templates/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_published_version_keeps_its_copy_of_a_stored_template()
    {
        var template = NewId("t");
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/templates/{template}", new
        {
            channel = "email",
            subject = "Welcome, {{ customer.traits.name | default: 'friend' }}",
            html = "<p>Hello</p>",
            text = "Hello",
        }), HttpStatusCode.OK);
        var read = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/templates/{template}");
        Assert.Equal("email", read.GetProperty("channel").GetString());

        var canvas = SimpleCanvas();
        canvas["nodes"]![0] = JsonNode.Parse($$"""{ "id": "pause", "type": "send", "channel": "email", "templateId": "{{template}}", "next": "done" }""");
        var journey = NewId("j");
        await team.PublishAsync(journey, canvas);

        await ExpectAsync(await team.Designer.DeleteAsync($"/api/templates/{template}"), HttpStatusCode.NoContent);
        var version = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{journey}/versions/1");
        Assert.Equal("<p>Hello</p>", version.GetProperty("templates").GetProperty(template).GetProperty("html").GetString());

        // The draft of a next version can no longer name it.
        var problem = await Problem.AssertAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{journey}", canvas), HttpStatusCode.BadRequest);
        Assert.Equal(["$.nodes[0].templateId"], Problem.ErrorPaths(problem));
    }

    [Fact]
    public async Task A_template_of_another_channel_cannot_be_used()
    {
        var template = NewId("t");
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/templates/{template}", new { channel = "sms", text = "Hi" }), HttpStatusCode.OK);
        var canvas = SimpleCanvas();
        canvas["nodes"]![0] = JsonNode.Parse($$"""{ "id": "pause", "type": "send", "channel": "push", "templateId": "{{template}}", "next": "done" }""");

        var problem = await Problem.AssertAsync(await team.Designer.PostAsJsonAsync("/api/journeys/validate", canvas), HttpStatusCode.BadRequest);
        Assert.Equal(["$.nodes[0].templateId"], Problem.ErrorPaths(problem));
    }

    [Theory]
    [InlineData("viewer", HttpStatusCode.Forbidden)]
    [InlineData("approver", HttpStatusCode.Forbidden)]
    [InlineData("write", HttpStatusCode.Forbidden)]
    [InlineData("designer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task Only_designers_and_admins_change_segments_and_templates(string role, HttpStatusCode expected)
    {
        var client = team.As(role);
        var segment = await client.PutAsJsonAsync($"/api/segments/{NewId("s")}", Segment("Tagged", new { tag = "x" }));
        var template = await client.PutAsJsonAsync($"/api/templates/{NewId("t")}", new { channel = "inapp", title = "Hi" });
        Assert.Equal(expected, segment.StatusCode);
        Assert.Equal(expected, template.StatusCode);
    }
}
