using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Waymark.Gateway.Tests.Journeys.DesignTeam;

namespace Waymark.Gateway.Tests.Journeys;

public class JourneyLifecycleTests(SingleNode node) : IClassFixture<SingleNode>, IAsyncLifetime
{
    private DesignTeam team = null!;

    public async Task InitializeAsync() => team = await JoinAsync(node);

    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewId() => $"j-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Example_segments_are_accepted_and_every_example_journey_runs_the_whole_lifecycle()
    {
        var segments = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "segments.json")))!.AsObject();
        foreach (var (id, segment) in segments)
        {
            await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/segments/{id}", segment), HttpStatusCode.OK);
        }

        foreach (var file in new[] { "test-drive-followup.json", "unpaid-order-reminder.json", "coupon-ab-with-control.json", "copy-horse-race.json" })
        {
            var canvas = Example(file);
            KeepScheduleAhead(canvas);
            var id = Path.GetFileNameWithoutExtension(file);
            await ExpectAsync(await team.Designer.PostAsJsonAsync("/api/journeys/validate", canvas), HttpStatusCode.OK);

            var published = await team.PublishAsync(id, canvas);
            Assert.Equal("active", published.GetProperty("status").GetString());
            Assert.Equal(1, published.GetProperty("activeVersion").GetInt32());
            Assert.Equal(JsonValueKind.Null, published.GetProperty("draft").ValueKind);

            await ExpectAsync(await team.Designer.PostAsync($"/api/journeys/{id}/pause", null), HttpStatusCode.OK);
            await ExpectAsync(await team.Designer.PostAsync($"/api/journeys/{id}/resume", null), HttpStatusCode.OK);

            // A second version: the first keeps its own content.
            canvas["description"] = "second take";
            var second = await team.PublishAsync(id, canvas);
            Assert.Equal(2, second.GetProperty("activeVersion").GetInt32());
            var v1 = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}/versions/1");
            var v2 = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}/versions/2");
            Assert.NotEqual("second take", v1.GetProperty("canvas").TryGetProperty("description", out var d1) ? d1.GetString() : null);
            Assert.Equal("second take", v2.GetProperty("canvas").GetProperty("description").GetString());

            var archived = await ExpectAsync(await team.Admin.PostAsJsonAsync($"/api/journeys/{id}/archive", new { comment = "campaign over" }), HttpStatusCode.OK);
            Assert.Equal("archived", archived.GetProperty("status").GetString());
            Assert.Equal(
                ["created", "submitted", "approved", "published", "paused", "resumed", "edited", "submitted", "approved", "published", "archived"],
                archived.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()!));
        }

        var listed = await team.Viewer.GetFromJsonAsync<JsonElement>("/api/journeys");
        var horseRace = listed.EnumerateArray().Single(j => j.GetProperty("id").GetString() == "copy-horse-race");
        Assert.Equal("archived", horseRace.GetProperty("status").GetString());
        Assert.Equal(2, horseRace.GetProperty("activeVersion").GetInt32());
    }

    [Fact]
    public async Task Each_step_records_who_did_it_when_and_why()
    {
        var id = NewId();
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
        await ExpectAsync(await team.Designer.PostAsJsonAsync($"/api/journeys/{id}/submit", new { comment = "ready" }), HttpStatusCode.OK);
        var rejected = await ExpectAsync(await team.Approver.PostAsJsonAsync($"/api/journeys/{id}/reject", new { comment = "wait two days" }), HttpStatusCode.OK);

        Assert.Equal("draft", rejected.GetProperty("status").GetString());
        var history = rejected.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["created", "submitted", "rejected"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Equal("wait two days", history[2].GetProperty("comment").GetString());
        Assert.NotEqual(history[1].GetProperty("by").GetString(), history[2].GetProperty("by").GetString());
        Assert.True(history[2].GetProperty("at").GetDateTimeOffset() >= history[1].GetProperty("at").GetDateTimeOffset());

        var read = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}");
        Assert.Equal(3, read.GetProperty("history").GetArrayLength());
        Assert.Equal("Welcome", read.GetProperty("draft").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task Reviewing_ones_own_submission_is_403_even_for_an_admin(string step)
    {
        var id = NewId();
        await ExpectAsync(await team.Admin.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
        await ExpectAsync(await team.Admin.PostAsync($"/api/journeys/{id}/submit", null), HttpStatusCode.OK);

        var refused = await Problem.AssertAsync(await team.Admin.PostAsync($"/api/journeys/{id}/{step}", null), HttpStatusCode.Forbidden);
        Assert.Contains("another approver", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var journey = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}");
        Assert.Equal("pending_approval", journey.GetProperty("status").GetString());
        await ExpectAsync(await team.Approver.PostAsync($"/api/journeys/{id}/{step}", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Editing_an_active_journey_makes_a_draft_while_the_active_version_keeps_running()
    {
        var id = NewId();
        await team.PublishAsync(id, SimpleCanvas("First"));

        var edited = await ExpectAsync(await team.OtherDesigner.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas("Second", "P2D")), HttpStatusCode.OK);
        Assert.Equal("active", edited.GetProperty("status").GetString());
        Assert.Equal("draft", edited.GetProperty("draftStatus").GetString());
        Assert.Equal(1, edited.GetProperty("activeVersion").GetInt32());
        Assert.Equal("P2D", edited.GetProperty("draft").GetProperty("nodes")[0].GetProperty("duration").GetString());

        var v1 = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}/versions/1");
        Assert.Equal("P1D", v1.GetProperty("canvas").GetProperty("nodes")[0].GetProperty("duration").GetString());
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{id}/versions/2"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Editing_a_submitted_draft_withdraws_the_submission()
    {
        var id = NewId();
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
        await ExpectAsync(await team.Designer.PostAsync($"/api/journeys/{id}/submit", null), HttpStatusCode.OK);
        await ExpectAsync(await team.Approver.PostAsync($"/api/journeys/{id}/approve", null), HttpStatusCode.OK);

        var edited = await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas("Changed after approval")), HttpStatusCode.OK);
        Assert.Equal("draft", edited.GetProperty("status").GetString());
        Assert.Contains("withdrew the approval", edited.GetProperty("history")[3].GetProperty("comment").GetString(), StringComparison.Ordinal);
        await Problem.AssertAsync(await team.Designer.PostAsync($"/api/journeys/{id}/publish", null), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("draft", "approve", "pending approval")]
    [InlineData("draft", "publish", "approved")]
    [InlineData("draft", "pause", "active")]
    [InlineData("draft", "resume", "paused")]
    [InlineData("pending", "submit", "pending approval already")]
    [InlineData("pending", "publish", "approved")]
    [InlineData("active", "resume", "paused")]
    [InlineData("active", "submit", "no draft")]
    [InlineData("active", "approve", "no draft")]
    [InlineData("paused", "pause", "active")]
    [InlineData("archived", "resume", "archived")]
    [InlineData("archived", "submit", "archived")]
    public async Task A_step_the_state_does_not_allow_is_409_with_the_reason(string state, string step, string reason)
    {
        var id = NewId();
        if (state is "active" or "paused" or "archived")
        {
            await team.PublishAsync(id, SimpleCanvas());
        }
        else
        {
            await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
        }

        await (state switch
        {
            "pending" => team.Designer.PostAsync($"/api/journeys/{id}/submit", null),
            "paused" => team.Designer.PostAsync($"/api/journeys/{id}/pause", null),
            "archived" => team.Admin.PostAsync($"/api/journeys/{id}/archive", null),
            _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
        });

        var client = step is "approve" or "reject" ? team.Approver : team.Designer;
        var problem = await Problem.AssertAsync(await client.PostAsync($"/api/journeys/{id}/{step}", null), HttpStatusCode.Conflict);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archived_journey_cannot_be_edited()
    {
        var id = NewId();
        await team.PublishAsync(id, SimpleCanvas());
        await ExpectAsync(await team.Admin.PostAsync($"/api/journeys/{id}/archive", null), HttpStatusCode.OK);
        await Problem.AssertAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string, HttpStatusCode> RoleMatrix()
    {
        var data = new TheoryData<string, string, HttpStatusCode>();
        string[] roles = ["none", "write", "viewer", "designer", "approver", "admin"];
        var allowed = new Dictionary<string, string[]>
        {
            ["read"] = ["viewer", "designer", "approver", "admin"],
            ["draft"] = ["designer", "admin"],
            ["validate"] = ["designer", "admin"],
            ["submit"] = ["designer", "admin"],
            ["approve"] = ["approver", "admin"],
            ["reject"] = ["approver", "admin"],
            ["publish"] = ["designer", "admin"],
            ["pause"] = ["designer", "admin"],
            ["archive"] = ["admin"],
        };
        foreach (var (action, who) in allowed)
        {
            foreach (var role in roles)
            {
                data.Add(action, role, role == "none" ? HttpStatusCode.Unauthorized : who.Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoleMatrix))]
    public async Task Each_role_may_do_exactly_what_the_role_table_allows(string action, string role, HttpStatusCode expected)
    {
        // Bring a journey to the state the action needs, with people other than the one under test.
        var id = NewId();
        switch (action)
        {
            case "approve" or "reject":
                await ExpectAsync(await team.OtherDesigner.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
                await ExpectAsync(await team.OtherDesigner.PostAsync($"/api/journeys/{id}/submit", null), HttpStatusCode.OK);
                break;
            case "publish":
                await ExpectAsync(await team.OtherDesigner.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
                await ExpectAsync(await team.OtherDesigner.PostAsync($"/api/journeys/{id}/submit", null), HttpStatusCode.OK);
                await ExpectAsync(await team.OtherApprover.PostAsync($"/api/journeys/{id}/approve", null), HttpStatusCode.OK);
                break;
            case "pause" or "archive":
                await team.PublishAsync(id, SimpleCanvas());
                break;
            default:
                await ExpectAsync(await team.OtherDesigner.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
                break;
        }

        var client = team.As(role);
        var response = action switch
        {
            "read" => await client.GetAsync($"/api/journeys/{id}"),
            "draft" => await client.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas("Edited")),
            "validate" => await client.PostAsJsonAsync("/api/journeys/validate", SimpleCanvas()),
            _ => await client.PostAsync($"/api/journeys/{id}/{action}", null),
        };

        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            await Problem.AssertAsync(response, expected);
            var journey = await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}");
            var recorded = journey.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
            Assert.Equal(Setup(action), recorded);
        }
    }

    /// <summary>The history the setup of <see cref="Each_role_may_do_exactly_what_the_role_table_allows"/> leaves: a refused action adds nothing.</summary>
    private static string[] Setup(string action) => action switch
    {
        "approve" or "reject" => ["created", "submitted"],
        "publish" => ["created", "submitted", "approved"],
        "pause" or "archive" => ["created", "submitted", "approved", "published"],
        _ => ["created"],
    };

    [Fact]
    public async Task An_invalid_canvas_is_refused_with_every_problem_and_nothing_is_saved()
    {
        var id = NewId();
        var canvas = SimpleCanvas();
        canvas["nodes"]![0]!["duration"] = "P1M";
        canvas["nodes"]![0]!["next"] = "nowhere";

        var problem = await Problem.AssertAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", canvas), HttpStatusCode.BadRequest);
        var paths = Problem.ErrorPaths(problem).ToList();
        Assert.Contains("$.nodes[0].duration", paths);
        Assert.Contains("$.nodes[0].next", paths);
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{id}"), HttpStatusCode.NotFound);

        var validated = await Problem.AssertAsync(await team.Designer.PostAsJsonAsync("/api/journeys/validate", canvas), HttpStatusCode.BadRequest);
        Assert.Equal(paths, Problem.ErrorPaths(validated));
    }

    [Theory]
    [InlineData("Bad_Id")]
    [InlineData("-leading-dash")]
    [InlineData("with.dot")]
    public async Task A_malformed_journey_id_is_400_naming_the_id(string id)
    {
        var problem = await Problem.AssertAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.BadRequest);
        Assert.Equal(["id"], Problem.ErrorPaths(problem));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_400_and_a_comment_too_long_is_400()
    {
        using var notJson = new StringContent("{ \"name\": ", System.Text.Encoding.UTF8, "application/json");
        await Problem.AssertAsync(await team.Designer.PutAsync($"/api/journeys/{NewId()}", notJson), HttpStatusCode.BadRequest);

        var id = NewId();
        await ExpectAsync(await team.Designer.PutAsJsonAsync($"/api/journeys/{id}", SimpleCanvas()), HttpStatusCode.OK);
        var problem = await Problem.AssertAsync(
            await team.Designer.PostAsJsonAsync($"/api/journeys/{id}/submit", new { comment = new string('x', 5000) }), HttpStatusCode.BadRequest);
        Assert.Equal(["$.comment"], Problem.ErrorPaths(problem));
    }

    [Fact]
    public async Task A_step_or_enrolment_with_a_field_it_does_not_know_is_refused_and_changes_nothing()
    {
        var id = NewId();
        var canvas = SimpleCanvas();
        canvas["trigger"] = new JsonObject { ["type"] = "api" };
        await team.PublishAsync(id, canvas);

        var pause = await team.Designer.PostAsJsonAsync($"/api/journeys/{id}/pause", new { comment = "later", reason = "typo for comment" });
        var enroll = await team.Designer.PostAsJsonAsync($"/api/journeys/{id}/enroll", new { customerIds = new[] { "u-1" }, customerId = "u-2" });

        Assert.Equal(["$.reason"], Problem.ErrorPaths(await Problem.AssertAsync(pause, HttpStatusCode.BadRequest)));
        Assert.Equal(["$.customerId"], Problem.ErrorPaths(await Problem.AssertAsync(enroll, HttpStatusCode.BadRequest)));
        Assert.Equal("active", (await team.Viewer.GetFromJsonAsync<JsonElement>($"/api/journeys/{id}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("/api/journeys/validate", "POST")]
    [InlineData("/api/journeys/{0}", "PUT")]
    public async Task A_canvas_with_bytes_that_are_not_utf8_is_refused_at_that_string(string path, string method)
    {
        var id = NewId();

        // An overlong '/' (C0 AF) in the name: JSON that parses, a string that is no text.
        byte[] body = [.. """{"name": "Wel"""u8, 0xC0, 0xAF, .. """come", "trigger": {"type": "api"}, "start": "done", "nodes": [{"id": "done", "type": "exit"}]}"""u8];
        using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, id))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };

        var problem = await Problem.AssertAsync(await team.Designer.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Equal(["$.name"], Problem.ErrorPaths(problem));
        await Problem.AssertAsync(await team.Viewer.GetAsync($"/api/journeys/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_workspace_sees_no_journey()
    {
        var id = NewId();
        await team.PublishAsync(id, SimpleCanvas());

        var created = await team.Admin.PostAsJsonAsync("/api/workspaces", new { id = $"ws-{Guid.NewGuid():N}"[..16] });
        var otherAdmin = node.Host.ClientWithBearer((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("adminKey").GetString()!);
        await Problem.AssertAsync(await otherAdmin.GetAsync($"/api/journeys/{id}"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await otherAdmin.GetAsync($"/api/journeys/{id}/versions/1"), HttpStatusCode.NotFound);
        await Problem.AssertAsync(await otherAdmin.PostAsync($"/api/journeys/{id}/pause", null), HttpStatusCode.NotFound);
        Assert.Equal(0, (await otherAdmin.GetFromJsonAsync<JsonElement>("/api/journeys")).GetArrayLength());
    }

    /// <summary>The horse race is scheduled for a fixed date; once that date passes, validation rightly refuses it as a one-time schedule in the past.</summary>
    private static void KeepScheduleAhead(JsonNode canvas)
    {
        if (canvas["trigger"]?["at"] is { } at && DateTimeOffset.Parse(at.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow.AddDays(1))
        {
            canvas["trigger"]!["at"] = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
