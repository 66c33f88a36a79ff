using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Waymark.Gateway.Tests.Customers;

/// <summary>OneID (api.md §2): anonymous to known, alias, shared identity traits, conflicts, explicit merges.</summary>
public class IdentityTests(SingleNode node) : IClassFixture<SingleNode>
{
    private readonly Segment segment = new(node.Host, node.WriteKey, node.AdminKey);

    [Fact]
    public async Task Identify_with_both_ids_merges_the_anonymous_profile_into_the_known_one()
    {
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        await segment.Send("track", new { anonymousId = anonymous, @event = "product_viewed", context = new { traits = new { color = "red" } } });
        await segment.Send("identify", new { userId = user, anonymousId = anonymous, traits = new { name = "Ada" } });

        var customer = await segment.Customer(anonymous); // the merged-away id answers the survivor
        Assert.Equal(user, customer.GetProperty("id").GetString());
        Assert.Equal(["Ada", "red"], new[] { customer.GetProperty("traits").GetProperty("name").GetString()!, customer.GetProperty("traits").GetProperty("color").GetString()! });
        Assert.Contains(anonymous, Segment.Strings(customer.GetProperty("identities").GetProperty("anonymousIds")));
        Assert.Contains(anonymous, Segment.Strings(customer.GetProperty("mergedFrom")));
        Assert.Contains(await segment.Timeline(user), i => i.GetProperty("kind").GetString() == "event" && i.GetProperty("name").GetString() == "product_viewed");

        await segment.Send("track", new { anonymousId = anonymous, @event = "after_merge" });
        Assert.Contains(await segment.Timeline(user), i => i.GetProperty("kind").GetString() == "event" && i.GetProperty("name").GetString() == "after_merge");
    }

    [Fact]
    public async Task Alias_points_the_previous_id_at_the_user()
    {
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        await segment.Send("track", new { anonymousId = anonymous, @event = "signup_started" });
        await segment.Send("alias", new { previousId = anonymous, userId = user });

        Assert.Equal(user, (await segment.Customer(anonymous)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_shared_email_merges_an_anonymous_profile_into_the_known_one()
    {
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        var email = $"{Segment.NewId("mail")}@example.com";
        await segment.Send("identify", new { userId = user, traits = new { email } });
        await segment.Send("identify", new { anonymousId = anonymous, traits = new { email = email.ToUpperInvariant(), city = "Lyon" } });

        var customer = await segment.Customer(email);
        Assert.Equal(user, customer.GetProperty("id").GetString());
        Assert.Equal("Lyon", customer.GetProperty("traits").GetProperty("city").GetString());
        Assert.Equal(user, (await segment.Customer(anonymous)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task An_anonymous_visitor_who_left_an_email_and_then_logs_in_becomes_one_customer()
    {
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        var email = $"{Segment.NewId("mail")}@example.com";
        await segment.Send("identify", new { anonymousId = anonymous, traits = new { email } });
        await segment.Send("identify", new { userId = user, anonymousId = anonymous, traits = new { name = "Flo" } });
        await segment.Send("alias", new { previousId = anonymous, userId = user });

        var customer = await segment.Customer(email);
        Assert.Equal(user, customer.GetProperty("id").GetString());
        Assert.Equal([email], Segment.Strings(customer.GetProperty("identities").GetProperty("email")));
        Assert.DoesNotContain(await segment.Timeline(user), i => i.GetProperty("kind").GetString() == "identity_conflict");
    }

    [Fact]
    public async Task Two_anonymous_profiles_with_one_email_merge_into_the_older()
    {
        var (older, newer) = (Segment.NewId("a"), Segment.NewId("a"));
        var email = $"{Segment.NewId("mail")}@example.com";
        await segment.Send("identify", new { anonymousId = older, traits = new { email }, timestamp = "2026-01-01T00:00:00Z" });
        await segment.Send("identify", new { anonymousId = newer, traits = new { email } });

        Assert.Equal(older, (await segment.Customer(newer)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Two_users_sharing_an_email_are_never_merged_automatically_and_both_record_the_conflict()
    {
        var (first, second) = (Segment.NewId("u"), Segment.NewId("u"));
        var email = $"{Segment.NewId("mail")}@example.com";
        await segment.Send("identify", new { userId = first, traits = new { email } });
        await segment.Send("identify", new { userId = second, traits = new { email } });

        Assert.Equal(first, (await segment.Customer(email)).GetProperty("id").GetString());
        Assert.Equal(second, (await segment.Customer(second)).GetProperty("id").GetString());
        Assert.Contains(await segment.Timeline(first), i => i.GetProperty("kind").GetString() == "identity_conflict");
        Assert.Contains(await segment.Timeline(second), i => i.GetProperty("kind").GetString() == "identity_conflict");

        var merged = await segment.Admin.PostAsJsonAsync($"/api/customers/{first}/merge", new { from = second });
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(first, (await segment.Customer(second)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Merging_combines_tags_and_keeps_the_stricter_subscription()
    {
        var (anonymous, user) = (Segment.NewId("a"), Segment.NewId("u"));
        await segment.Send("track", new { anonymousId = anonymous, @event = "visit" });
        await segment.Admin.PutAsync($"/api/customers/{anonymous}/tags/early", null);
        await segment.Admin.PutAsJsonAsync($"/api/customers/{anonymous}/subscriptions", new { email = false });
        await segment.Send("identify", new { userId = user, traits = new { name = "Bo" } });
        await segment.Admin.PutAsync($"/api/customers/{user}/tags/vip", null);

        await segment.Send("identify", new { userId = user, anonymousId = anonymous });

        var customer = await segment.Customer(user);
        Assert.Equal(["early", "vip"], Segment.Strings(customer.GetProperty("tags")));
        Assert.False(customer.GetProperty("subscriptions").GetProperty("email").GetBoolean());
        Assert.True(customer.GetProperty("subscriptions").GetProperty("sms").GetBoolean());
    }

    [Fact]
    public async Task Concurrent_merges_of_the_same_profiles_lose_nothing()
    {
        var user = Segment.NewId("u");
        var anonymous = Enumerable.Range(0, 6).Select(_ => Segment.NewId("a")).ToList();
        await Task.WhenAll(anonymous.Select(a => segment.Send("identify", new { anonymousId = a, traits = new Dictionary<string, object> { [$"t_{a}"] = a } })));

        await Task.WhenAll(anonymous.SelectMany(a => new[]
        {
            segment.Send("identify", new { userId = user, anonymousId = a }),
            segment.Send("alias", new { previousId = a, userId = user }),
            segment.Send("track", new { anonymousId = a, @event = "during" }),
        }));

        var customer = await segment.Customer(user);
        foreach (var a in anonymous)
        {
            Assert.Equal(a, customer.GetProperty("traits").GetProperty($"t_{a}").GetString());
            Assert.Equal(user, (await segment.Customer(a)).GetProperty("id").GetString());
        }

        Assert.Equal(anonymous.Count, (await segment.Timeline(user)).Count(i => i.GetProperty("kind").GetString() == "event" && i.GetProperty("name").GetString() == "during"));
    }
}
