using Waymark.Definitions.Templates;
using Waymark.Model.Customers;

namespace Waymark.Grains.Delivery;

/// <summary>Where a channel reaches a customer (canvas.md "Sending rules").</summary>
public static class DeliveryAddress
{
    /// <summary>
    /// The customer's address on <paramref name="channel"/>: email the <c>email</c> trait, sms the <c>phone</c> trait,
    /// push the <c>pushToken</c> trait else the last <c>context.device.token</c> seen; null when it has none. Webhook and
    /// in-app need none (the webhook's URL is the workspace's, the inbox is the customer's own) and give null.
    /// </summary>
    public static string? Of(CustomerProfile profile, Channel channel) => channel switch
    {
        Channel.Email => Text(profile, "email"),
        Channel.Sms => Text(profile, "phone"),
        Channel.Push => Text(profile, "pushToken") ?? profile.DeviceToken,
        _ => null,
    };

    /// <summary>Whether <paramref name="channel"/> needs an address from the customer at all.</summary>
    public static bool IsNeeded(Channel channel) => channel is Channel.Email or Channel.Sms or Channel.Push;

    private static string? Text(CustomerProfile profile, string trait) =>
        profile.Traits[trait] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
