using System.Text.Json.Nodes;
using Waymark.Model.Customers;

namespace Waymark.Model.Tests;

public class CustomerProfileTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] IdentityTraits = ["email", "phone"];

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Traits_merge_shallowly_and_null_removes_a_trait()
    {
        var profile = new CustomerProfile();
        profile.SetTraits(Json("""{"name": "Ada", "address": {"city": "Paris"}, "plan": "free"}"""), Monday, IdentityTraits);
        profile.SetTraits(Json("""{"address": {"zip": "75001"}, "plan": null}"""), Monday.AddMinutes(1), IdentityTraits);

        Assert.Equal("""{"name":"Ada","address":{"zip":"75001"}}""", profile.Traits.ToJsonString());
    }

    [Fact]
    public void A_late_arriving_older_event_does_not_roll_a_trait_back()
    {
        var profile = new CustomerProfile();
        profile.SetTraits(Json("""{"plan": "pro"}"""), Monday, IdentityTraits);
        profile.SetTraits(Json("""{"plan": "free"}"""), Monday.AddDays(-1), IdentityTraits);

        Assert.Equal("pro", profile.Traits["plan"]!.GetValue<string>());
    }

    [Fact]
    public void Identity_traits_are_recorded_with_emails_compared_case_insensitively()
    {
        var profile = new CustomerProfile();
        profile.SetTraits(Json("""{"email": " Ada@Example.COM ", "phone": "+33 1 23"}"""), Monday, IdentityTraits);
        profile.SetTraits(Json("""{"email": "ada@example.com"}"""), Monday.AddMinutes(1), IdentityTraits);

        Assert.Equal(["ada@example.com"], profile.Identities["email"]);
        Assert.Equal(["+33 1 23"], profile.Identities["phone"]);
    }

    [Fact]
    public void A_value_no_database_can_key_an_identity_by_stays_a_trait_but_is_no_identity()
    {
        var profile = new CustomerProfile();
        var longest = new string('a', CustomerProfile.MaxIdentityLength - "@x.io".Length) + "@x.io";

        profile.SetTraits(Json($$"""{"email": "a{{longest}}", "phone": "+33\u0000"}"""), Monday, IdentityTraits);

        Assert.Empty(profile.Identities);
        Assert.Equal("a" + longest, profile.Traits["email"]!.GetValue<string>());
        Assert.Equal("+33\0", profile.Traits["phone"]!.GetValue<string>());
        Assert.Equal(longest, CustomerProfile.IdentityValue("email", JsonValue.Create(longest)));
    }

    [Fact]
    public void First_and_last_seen_span_every_event_in_any_order()
    {
        var profile = new CustomerProfile();
        profile.Observe("u-1", null, "m1", Monday, Monday, null);
        profile.Observe("u-1", null, "m2", Monday.AddDays(-2), Monday, null);
        profile.Observe("u-1", null, "m3", Monday.AddDays(1), Monday, null);

        Assert.Equal(Monday.AddDays(-2), profile.FirstSeen);
        Assert.Equal(Monday.AddDays(1), profile.LastSeen);
    }

    [Fact]
    public void A_message_id_is_a_duplicate_for_seven_days_and_forgotten_after()
    {
        var profile = new CustomerProfile();
        profile.Observe("u-1", null, "m1", Monday, Monday, null);

        Assert.True(profile.HasSeen("m1", Monday.AddDays(6)));
        Assert.False(profile.HasSeen("m1", Monday.AddDays(8)));
        profile.Observe("u-1", null, "m2", Monday.AddDays(8), Monday.AddDays(8), null);
        Assert.DoesNotContain("m1", profile.RecentMessages.Keys);
    }

    [Fact]
    public void The_device_context_gives_time_zone_and_push_token_unless_a_trait_names_the_zone()
    {
        var profile = new CustomerProfile();
        profile.Observe("u-1", null, "m1", Monday, Monday, Json("""{"timezone": "Asia/Shanghai", "device": {"token": "tok-1"}}"""));
        Assert.Equal("Asia/Shanghai", profile.Timezone);
        Assert.Equal("tok-1", profile.DeviceToken);

        profile.SetTraits(Json("""{"timezone": "Europe/Paris"}"""), Monday, IdentityTraits);
        Assert.Equal("Europe/Paris", profile.Timezone);
    }

    [Fact]
    public void Absorbing_a_profile_keeps_newer_traits_unites_the_rest_and_keeps_the_stricter_subscription()
    {
        var survivor = new CustomerProfile();
        survivor.Observe("u-1", null, "m1", Monday, Monday, null);
        survivor.SetTraits(Json("""{"name": "Ada", "city": "Paris"}"""), Monday, IdentityTraits);
        survivor.SetTag("vip", true);
        survivor.SetSubscription("sms", true);

        var other = new CustomerProfile();
        other.Observe(null, "a-1", "m2", Monday.AddDays(-3), Monday, null);
        other.SetTraits(Json("""{"name": "Ada L.", "city": "Lyon", "color": "red"}"""), Monday.AddDays(-3), IdentityTraits);
        other.SetTraits(Json("""{"name": "Ada Lovelace"}"""), Monday.AddHours(1), IdentityTraits);
        other.SetTag("early", true);
        other.SetSubscription("email", false);
        other.MergedFrom.Add("a:older");

        survivor.Absorb("a:a-1", other);

        Assert.Equal("Ada Lovelace", survivor.Traits["name"]!.GetValue<string>());
        Assert.Equal("Paris", survivor.Traits["city"]!.GetValue<string>());
        Assert.Equal("red", survivor.Traits["color"]!.GetValue<string>());
        Assert.Equal(["early", "vip"], survivor.Tags);
        Assert.False(survivor.IsSubscribed("email"));
        Assert.True(survivor.IsSubscribed("sms"));
        Assert.Equal(["a-1"], survivor.AnonymousIds);
        Assert.Equal("u-1", survivor.UserId);
        Assert.Equal(Monday.AddDays(-3), survivor.FirstSeen);
        Assert.Equal(["a:a-1", "a:older"], survivor.MergedFrom);
        Assert.True(survivor.HasSeen("m2", Monday));
    }
}
