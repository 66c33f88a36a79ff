using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Inbox;
using Waymark.Gateway.Tests.Customers;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Inbox;

public class InboxApiTests(SingleNode node) : IClassFixture<SingleNode>
{
    private readonly InboxApp app = new(node.Host, node.WriteKey, node.AdminKey);

    private static string NewUser() => Segment.NewId("u");

    [Fact]
    public async Task Inapp_messages_are_listed_newest_first_with_every_field()
    {
        var user = NewUser();
        await app.Send(InboxApp.Message("u:" + user, "m-tuesday", InboxApp.Monday.AddDays(1), "Tuesday", "Your cart misses you", "https://shop.example/cart", "https://cdn.example/cart.png"));
        await app.Send(InboxApp.Message("u:" + user, "m-monday", InboxApp.Monday, "Monday"));
        await app.Send(InboxApp.Message("u:" + user, "m-wednesday", InboxApp.Monday.AddDays(2), "Wednesday"));

        var messages = await app.List(user);

        Assert.Equal(["m-wednesday", "m-tuesday", "m-monday"], InboxApp.Ids(messages));
        var tuesday = messages[1];
        Assert.Equal("Tuesday", tuesday.GetProperty("title").GetString());
        Assert.Equal("Your cart misses you", tuesday.GetProperty("body").GetString());
        Assert.Equal("https://shop.example/cart", tuesday.GetProperty("url").GetString());
        Assert.Equal("https://cdn.example/cart.png", tuesday.GetProperty("image").GetString());
        Assert.Equal(InboxApp.Monday.AddDays(1), tuesday.GetProperty("sentAt").GetDateTimeOffset());
        Assert.False(tuesday.GetProperty("read").GetBoolean());
        Assert.Equal(JsonValueKind.Null, messages[2].GetProperty("image").ValueKind);
    }

    [Fact]
    public async Task A_message_dispatched_twice_is_listed_once()
    {
        var user = NewUser();
        var first = InboxApp.Message("u:" + user, "m-once", InboxApp.Monday, "Hello");
        await app.Send(first);
        await app.Send(first with { Content = InboxApp.Message("u:" + user, "m-once", InboxApp.Monday, "Hello again").Content });

        var message = Assert.Single(await app.List(user));
        Assert.Equal("Hello", message.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_rendered_inapp_template_arrives_as_rendered_and_empty_fields_are_null()
    {
        var user = NewUser();
        var template = TemplateReader.ReadStored(JsonDocument.Parse("""
            { "channel": "inapp", "title": "Hi {{ customer.traits.name }}", "body": "{{ message.variant }}",
              "url": "https://shop.example/{{ customer.id }}" }
            """).RootElement).Value!;
        var rendered = TemplateRenderer.Render(template,
            new TemplateVariables { CustomerId = user, Traits = new() { ["name"] = "Ada" } }, new LinkPlaceholders());
        await app.Send(InboxApp.Message("u:" + user, "m-rendered", InboxApp.Monday, "unused") with { Content = RenderedContent.From(rendered) });

        var message = Assert.Single(await app.List(user));
        Assert.Equal("Hi Ada", message.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("body").ValueKind);
        Assert.Equal($"https://shop.example/{user}", message.GetProperty("url").GetString());
    }

    [Fact]
    public async Task An_anonymous_customer_gets_its_messages_in_the_inbox_of_its_anonymous_id()
    {
        var anonymous = Segment.NewId("a");
        await app.Send(InboxApp.Message("a:" + anonymous, "m-anonymous", InboxApp.Monday, "Welcome"));

        Assert.Equal(["m-anonymous"], InboxApp.Ids(await app.List(anonymous)));
    }

    [Fact]
    public async Task Marking_a_message_read_shows_it_read_and_leaves_the_others_unread()
    {
        var user = NewUser();
        await app.Send(InboxApp.Message("u:" + user, "m-1", InboxApp.Monday, "One"));
        await app.Send(InboxApp.Message("u:" + user, "m-2", InboxApp.Monday.AddHours(1), "Two"));
        var reader = await app.ReaderFor(user);

        var response = await reader.PostAsync(InboxApp.ReadPath(user, "m-1"), null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await reader.PostAsync(InboxApp.ReadPath(user, "m-1"), null)).StatusCode);

        var read = (await app.List(user)).ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("read").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["m-1"] = true, ["m-2"] = false }, read);
    }

    [Fact]
    public async Task Marking_an_unknown_message_read_is_not_found()
    {
        var user = NewUser();
        await app.Send(InboxApp.Message("u:" + user, "m-known", InboxApp.Monday, "Known"));

        await Problem.AssertAsync(await (await app.ReaderFor(user)).PostAsync(InboxApp.ReadPath(user, "m-unknown"), null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_missing_or_wrong_token_is_refused_changes_nothing_and_is_never_logged()
    {
        var user = NewUser();
        await app.Send(InboxApp.Message("u:" + user, "m-private", InboxApp.Monday, "Private"));
        var secret = await app.Secret();
        var right = InboxApp.Token(secret, user);
        string?[] wrong = [null, "", "not-hex", right[..^2], right[..^1] + (right[^1] == '0' ? '1' : '0'), InboxApp.Token("is_wrong", user)];

        foreach (var token in wrong)
        {
            var reader = app.Reader(token);
            await Problem.AssertAsync(await reader.GetAsync(InboxApp.Path(user)), HttpStatusCode.Forbidden);
            await Problem.AssertAsync(await reader.PostAsync(InboxApp.ReadPath(user, "m-private"), null), HttpStatusCode.Forbidden);
        }

        Assert.False(Assert.Single(await app.List(user)).GetProperty("read").GetBoolean());
        Assert.DoesNotContain(node.Host.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(right, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_of_one_user_does_not_open_another_users_inbox()
    {
        var (ada, bob) = (NewUser(), NewUser());
        await app.Send(InboxApp.Message("u:" + bob, "m-bob", InboxApp.Monday, "For Bob"));
        var adaReader = await app.ReaderFor(ada);

        var refused = await Problem.AssertAsync(await adaReader.GetAsync(InboxApp.Path(bob)), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await adaReader.PostAsync(InboxApp.ReadPath(bob, "m-bob"), null), HttpStatusCode.Forbidden);

        // A user who never got a message is refused with the same answer: nothing says whether Bob exists.
        var nobody = await Problem.AssertAsync(await adaReader.GetAsync(InboxApp.Path(NewUser())), HttpStatusCode.Forbidden);
        Assert.Equal(refused.GetProperty("title").GetString(), nobody.GetProperty("title").GetString());
        Assert.Empty(await app.List(ada));
    }

    [Fact]
    public async Task Only_a_write_key_opens_an_inbox()
    {
        var user = NewUser();
        await app.Send(InboxApp.Message("u:" + user, "m-keyed", InboxApp.Monday, "Keyed"));
        var token = InboxApp.Token(await app.Secret(), user);

        var anonymous = node.Host.CreateClient();
        anonymous.DefaultRequestHeaders.Add(InboxEndpoints.UserTokenHeader, token);
        var challenge = await anonymous.GetAsync(InboxApp.Path(user));
        await Problem.AssertAsync(challenge, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Basic", challenge.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await Problem.AssertAsync(await app.Reader(token, key: "wk_unknown").GetAsync(InboxApp.Path(user)), HttpStatusCode.Unauthorized);

        var admin = node.Host.ClientWithBearer(node.AdminKey);
        admin.DefaultRequestHeaders.Add(InboxEndpoints.UserTokenHeader, token);
        await Problem.AssertAsync(await admin.GetAsync(InboxApp.Path(user)), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await admin.PostAsync(InboxApp.ReadPath(user, "m-keyed"), null), HttpStatusCode.Forbidden);
        await Problem.AssertAsync(await app.Reader(token, key: node.AdminKey).GetAsync(InboxApp.Path(user)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_write_key_of_another_workspace_never_reads_this_workspaces_inbox()
    {
        var user = NewUser();
        await app.Send(InboxApp.Message("u:" + user, "m-default", InboxApp.Monday, "Default only"));
        var created = await (await node.Host.ClientWithBearer(node.AdminKey).PostAsJsonAsync("/api/workspaces", new { id = "inbox-" + Guid.NewGuid().ToString("N")[..8] }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var otherKey = created.GetProperty("writeKey").GetString()!;

        // With this workspace's token the other key is refused; with its own workspace's token it opens its own, empty inbox.
        var ownToken = InboxApp.Token(await app.Secret(), user);
        await Problem.AssertAsync(await app.Reader(ownToken, otherKey).GetAsync(InboxApp.Path(user)), HttpStatusCode.Forbidden);
        var otherToken = InboxApp.Token(created.GetProperty("inboxSecret").GetString()!, user);
        var other = await app.Reader(otherToken, otherKey).GetFromJsonAsync<JsonElement>(InboxApp.Path(user));
        Assert.Empty(other.GetProperty("messages").EnumerateArray());
        await Problem.AssertAsync(await app.Reader(otherToken, otherKey).PostAsync(InboxApp.ReadPath(user, "m-default"), null), HttpStatusCode.NotFound);
        Assert.False(Assert.Single(await app.List(user)).GetProperty("read").GetBoolean());
    }

    [Fact]
    public async Task A_user_id_longer_than_any_customer_can_have_is_invalid()
    {
        var user = new string('u', 257);

        var problem = await Problem.AssertAsync(await (await app.ReaderFor(user)).GetAsync(InboxApp.Path(user)), HttpStatusCode.BadRequest);
        Assert.Equal(["userId"], Problem.ErrorPaths(problem));
    }

    [Fact]
    public void The_silo_delivers_inapp_through_the_inbox_channel() =>
        Assert.IsType<InboxChannel>(app.Channels.Find(Channel.Inapp));
}
