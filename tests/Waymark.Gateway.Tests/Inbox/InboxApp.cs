using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Definitions.Templates;
using Waymark.GrainInterfaces.Customers;
using Waymark.Gateway.Inbox;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Tests.Inbox;

/// <summary>
/// The two sides of an in-app inbox: the journey runtime dispatching through the embedded silo's
/// channels, and an app reading with the write key and the token its backend computed.
/// </summary>
internal sealed class InboxApp(GatewayHost host, string writeKey, string adminKey)
{
    public static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public MessageChannels Channels => host.Services.GetRequiredService<MessageChannels>();

    /// <summary>The workspace's inbox secret, as an admin reads it from the settings.</summary>
    public async Task<string> Secret()
    {
        var settings = await host.ClientWithBearer(adminKey).GetFromJsonAsync<JsonElement>("/api/workspace/settings");
        return settings.GetProperty("inboxSecret").GetString()!;
    }

    /// <summary>What the app's backend computes: lowercase hex HMAC-SHA256 of the user id under the inbox secret.</summary>
    public static string Token(string secret, string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));

    public async Task<HttpClient> ReaderFor(string userId) => Reader(Token(await Secret(), userId));

    public HttpClient Reader(string? token, string? key = null)
    {
        var client = host.ClientWithBasic(key ?? writeKey, "");
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add(InboxEndpoints.UserTokenHeader, token);
        }

        return client;
    }

    public static OutgoingMessage Message(
        string customerKey, string messageId, DateTimeOffset sentAt, string title, string? body = null, string? url = null, string? image = null)
    {
        var fields = new Dictionary<string, string> { [ChannelFields.Title] = title };
        foreach (var (name, value) in new[] { (ChannelFields.Body, body), (ChannelFields.Url, url), (ChannelFields.Image, image) })
        {
            if (value is not null)
            {
                fields[name] = value;
            }
        }

        var userId = CustomerKeys.IsUser(customerKey) ? CustomerKeys.PublicId(customerKey) : null;
        return new OutgoingMessage("default", customerKey, userId, messageId, "welcome", "say-hello", Channel.Inapp, null,
            new RenderedContent(fields.ToImmutableDictionary(), null), sentAt);
    }

    public async Task Send(OutgoingMessage message) =>
        Assert.Equal(DispatchResult.Sent, await Channels.DispatchAsync(message, CancellationToken.None));

    public async Task<JsonElement[]> List(string userId)
    {
        var response = await (await ReaderFor(userId)).GetAsync(Path(userId));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"inbox {userId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("messages").EnumerateArray()];
    }

    public static string Path(string userId) => $"/v1/inbox/{Uri.EscapeDataString(userId)}";

    public static string ReadPath(string userId, string messageId) => $"{Path(userId)}/{Uri.EscapeDataString(messageId)}/read";

    public static string[] Ids(IEnumerable<JsonElement> messages) => [.. messages.Select(m => m.GetProperty("id").GetString()!)];
}
