using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Waymark.Definitions.Templates;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>The signature and the bodies of the HTTP channels, as pure functions.</summary>
public class DeliveryFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_signature_is_the_hex_hmac_of_the_time_a_dot_and_the_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":1}""");

        var header = DeliverySignature.Of("s3cret-key-for-tests", At, body);

        // Computed independently: printf '1777885200.{"a":1}' | openssl dgst -sha256 -hmac 's3cret-key-for-tests'
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("s3cret-key-for-tests"), Encoding.UTF8.GetBytes("1777885200." + """{"a":1}""")));
        Assert.Equal($"t=1777885200,v1={expected}", header);
        Assert.True(DeliverySignature.Verify("s3cret-key-for-tests", header, body, At.AddMinutes(1), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_signature_fails_for_another_body_secret_or_a_stale_time()
    {
        var body = Encoding.UTF8.GetBytes("""{"a":1}""");
        var header = DeliverySignature.Of("s3cret-key-for-tests", At, body);

        Assert.False(DeliverySignature.Verify("s3cret-key-for-tests", header, Encoding.UTF8.GetBytes("""{"a":2}"""), At, TimeSpan.FromMinutes(5)));
        Assert.False(DeliverySignature.Verify("another-key-for-tests", header, body, At, TimeSpan.FromMinutes(5)));
        Assert.False(DeliverySignature.Verify("s3cret-key-for-tests", header, body, At.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(DeliverySignature.Verify("s3cret-key-for-tests", "v1=00", body, At, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_webhook_posts_its_payload_as_it_is()
    {
        var (body, problem) = HttpDeliveryBody.Of(Message(Channel.Webhook, payload: """{"order":"O-1","n":[1,2]}"""));

        Assert.Null(problem);
        Assert.Equal("""{"order":"O-1","n":[1,2]}""", Encoding.UTF8.GetString(body!));
    }

    [Fact]
    public void A_push_leaves_out_the_fields_its_template_lacks()
    {
        var (body, _) = HttpDeliveryBody.Of(Message(Channel.Push, address: "token-1", fields: new() { [ChannelFields.Body] = "Hi <b>" }));

        Assert.Equal("""{"messageId":"m-1","to":"token-1","body":"Hi <b>"}""", Encoding.UTF8.GetString(body!));
    }

    [Fact]
    public void An_sms_keeps_non_ascii_text_readable()
    {
        var (body, _) = HttpDeliveryBody.Of(Message(Channel.Sms, address: "+8613800000001", fields: new() { [ChannelFields.Text] = "您好, Zoë" }));

        Assert.Equal("""{"messageId":"m-1","to":"+8613800000001","text":"您好, Zoë"}""", Encoding.UTF8.GetString(body!));
        Assert.Equal("您好, Zoë", JsonDocument.Parse(body!).RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(Channel.Sms, "the customer has no phone number")]
    [InlineData(Channel.Push, "the customer has no push token")]
    [InlineData(Channel.Webhook, "the message has no payload")]
    public void A_message_with_nothing_to_post_or_nobody_to_post_to_is_a_problem(Channel channel, string expected)
    {
        Assert.Equal((null, expected), HttpDeliveryBody.Of(Message(channel)));
    }

    private static OutgoingMessage Message(Channel channel, string? address = null, string? payload = null, Dictionary<string, string>? fields = null) => new(
        "default", "u:ada", "ada", "m-1", "journey", "notify", channel, null,
        new RenderedContent((fields ?? []).ToImmutableDictionary(), payload), At, address);
}
