using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>
/// What a webhook, sms or push delivery posts (UTF-8 JSON; api.md §5, docs/architecture.md "Delivery"):
/// <list type="bullet">
/// <item><c>webhook</c>: the rendered template payload as it is.</item>
/// <item><c>sms</c>: <c>{ "messageId", "to", "text" }</c>, <c>to</c> being the customer's phone number (the <c>phone</c> trait).</item>
/// <item><c>push</c>: <c>{ "messageId", "to", "title"?, "body", "url"? }</c>, <c>to</c> being the customer's push token;
/// a field the template lacks or rendered empty is left out.</item>
/// </list>
/// An sms or push provider adapter turns these into its provider's call.
/// </summary>
public static class HttpDeliveryBody
{
    /// <summary>The body to post for <paramref name="message"/>, or why the message cannot be sent at all.</summary>
    public static (byte[]? Body, string? Problem) Of(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Channel switch
        {
            Channel.Webhook => message.Content.Payload is { } payload
                ? (Encoding.UTF8.GetBytes(payload), null)
                : (null, "the message has no payload"),
            Channel.Sms => message.Address is null
                ? (null, "the customer has no phone number")
                : (Json(message, writer => writer.WriteString("text", message.Content.Field(ChannelFields.Text) ?? "")), null),
            Channel.Push => message.Address is null
                ? (null, "the customer has no push token")
                : (Json(message, writer =>
                {
                    Optional(writer, "title", message.Content.Field(ChannelFields.Title));
                    writer.WriteString("body", message.Content.Field(ChannelFields.Body) ?? "");
                    Optional(writer, "url", message.Content.Field(ChannelFields.Url));
                }), null),
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.Channel, "not an HTTP channel"),
        };
    }

    /// <summary>Non-ASCII text as it is (an sms in Chinese stays readable and short); the body is never embedded in HTML.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static byte[] Json(OutgoingMessage message, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", message.MessageId);
            writer.WriteString("to", message.Address);
            fields(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
