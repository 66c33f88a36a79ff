using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;

namespace Waymark.Gateway.Ingestion;

/// <summary>
/// Reads a Segment HTTP Tracking API body (api.md §1) into customer events. Pure: no I/O, and the receipt
/// time is given. Every problem of every message is reported, because a request is accepted whole or not at all.
/// An instance holds the state of one parse.
/// </summary>
public sealed class SegmentParser
{
    /// <summary>Segment's limit on one message's own JSON text, in bytes.</summary>
    public const int MaxMessageBytes = 32 * 1024;

    /// <summary>Segment's limit on the messages of one <c>/v1/batch</c> request.</summary>
    public const int MaxBatchMessages = 2500;

    /// <summary>The longest id of any kind, as user and anonymous ids key the customer log.</summary>
    public const int MaxIdLength = CustomerKeys.MaxIdLength;

    public const int MaxEventNameLength = 200;

    /// <summary>Ids and event names key the customer log, and PostgreSQL stores no NUL in text.</summary>
    private const string NulMessage = "must not contain a NUL character (\\u0000)";

    /// <summary>The <c>type</c> of each call, indexed by <see cref="EventKind"/>.</summary>
    private static readonly string[] TypeNames = ["identify", "track", "page", "screen", "group", "alias"];

    private static readonly string Types = string.Join(", ", TypeNames);

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        // Two values for one name (two userIds, say) leave no right answer, and no SDK sends them.
        AllowDuplicateProperties = false,
    };

    private readonly DateTimeOffset receivedAt;
    private readonly List<FieldError> errors = [];
    private JsonElement? batchContext;
    private JsonElement? batchSentAt;
    private bool tooLarge;

    private SegmentParser(DateTimeOffset receivedAt) => this.receivedAt = receivedAt;

    /// <param name="body">The decompressed request body, JSON whatever its Content-Type.</param>
    /// <param name="call">The endpoint's message type, or null for <c>/v1/batch</c>.</param>
    /// <param name="receivedAt">When the request arrived: the default and the upper bound of every timestamp.</param>
    public static SegmentParseResult Parse(ReadOnlyMemory<byte> body, EventKind? call, DateTimeOffset receivedAt)
    {
        // RFC 8259 lets a parser ignore a byte order mark; System.Text.Json would refuse it.
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        // Checked first because the JSON reader would quietly turn invalid bytes in strings into U+FFFD.
        if (!Utf8.IsValid(body.Span))
        {
            return Unreadable("is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Unreadable(e.Message);
        }
        catch (InvalidOperationException)
        {
            // The duplicate check reads every member name as text, which fails on an escaped lone surrogate.
            return Unreadable("has a member name with a \\u escape of an unpaired surrogate, which is not text");
        }

        using (document)
        {
            return new SegmentParser(receivedAt.ToUniversalTime()).Read(document.RootElement, call);
        }
    }

    private SegmentParseResult Read(JsonElement root, EventKind? call)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Error("$", "must be a JSON object");
            return Result([], writeKey: null);
        }

        // System.Text.Json parses a string holding an escaped lone surrogate ("\uD800") but throws when reading it.
        if (JsonMarshal.GetRawUtf8Value(root).IndexOf("\\u"u8) >= 0)
        {
            SegmentJson.FindUnpairedSurrogates(root, "$", errors);
        }

        var writeKey = ReadWriteKey(root);
        if (errors.Count > 0)
        {
            return Result([], writeKey);
        }

        if (call is not null)
        {
            return Result(ReadMessage(root, "$", call) is { } message ? [message] : [], writeKey);
        }

        // Segment merges a batch's context into each message's; its sentAt stands in for messages that carry none.
        batchContext = OptionalObject(root, "context", "$");
        if (batchContext is { } context)
        {
            OptionalObject(context, "traits", "$.context");
        }

        batchSentAt = SegmentJson.Field(root, "sentAt");
        return Result(ReadBatch(root), writeKey);
    }

    private List<CustomerEvent> ReadBatch(JsonElement root)
    {
        var messages = new List<CustomerEvent>();
        switch (SegmentJson.Field(root, "batch"))
        {
            case null:
                Error("$.batch", "is required: an array of messages");
                break;
            case { ValueKind: not JsonValueKind.Array }:
                Error("$.batch", "must be an array of messages");
                break;
            case { } batch:
                var length = batch.GetArrayLength();
                if (length == 0)
                {
                    Error("$.batch", "must hold at least one message");
                }
                else if (length > MaxBatchMessages)
                {
                    Error("$.batch", $"must hold at most {MaxBatchMessages} messages");
                }

                var index = 0;
                foreach (var item in batch.EnumerateArray())
                {
                    if (ReadMessage(item, $"$.batch[{index++}]", call: null) is { } message)
                    {
                        messages.Add(message);
                    }
                }

                break;
        }

        return messages;
    }

    /// <summary>Null, with the reasons in <see cref="errors"/>, when the message is refused.</summary>
    private CustomerEvent? ReadMessage(JsonElement message, string path, EventKind? call)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            Error(path, "must be a JSON object");
            return null;
        }

        var errorsBefore = errors.Count;
        if (JsonMarshal.GetRawUtf8Value(message).Length > MaxMessageBytes)
        {
            tooLarge = true;
            Error(path, "is larger than 32 KB");
        }

        var kind = ReadKind(message, path, call);
        var alias = kind == EventKind.Alias;
        var userId = ReadId(message, "userId", path, alias ? "is required for alias" : null);
        var anonymousId = ReadId(message, "anonymousId", path);
        if (!alias && IsBlank(message, "userId") && IsBlank(message, "anonymousId"))
        {
            Error($"{path}.userId", "is required when there is no anonymousId");
        }

        // Without a messageId dedupe cannot apply: a retried request is stored twice.
        var messageId = ReadId(message, "messageId", path) ?? Guid.NewGuid().ToString("N");
        var timestamp = ReadTimestamp(message, path);
        var context = ReadContext(message, path);

        string? name = null, previousId = null, groupId = null, properties = null, traits = null;
        switch (kind)
        {
            case EventKind.Identify:
                // Other calls keep context.traits inside Context, where the customer grain reads them.
                traits = SegmentJson.Write(SegmentJson.Merge(ContextTraits(context), OptionalObject(message, "traits", path)));
                break;
            case EventKind.Track:
                name = ReadEventName(message, path);
                properties = SegmentJson.Write(SegmentJson.Merge(OptionalObject(message, "properties", path)));
                break;
            case EventKind.Page:
                name = "page_viewed";
                properties = ReadViewProperties(message, path);
                break;
            case EventKind.Screen:
                name = "screen_viewed";
                properties = ReadViewProperties(message, path);
                break;
            case EventKind.Group:
                groupId = ReadId(message, "groupId", path, "is required for group");
                traits = SegmentJson.Write(SegmentJson.Merge(OptionalObject(message, "traits", path)));
                break;
            case EventKind.Alias:
                previousId = ReadId(message, "previousId", path, "is required for alias");
                break;
        }

        return kind is { } k && errors.Count == errorsBefore
            ? new CustomerEvent(k, messageId, userId, anonymousId, previousId, name, timestamp, receivedAt,
                properties, traits, groupId, SegmentJson.Write(context))
            : null;
    }

    private EventKind? ReadKind(JsonElement message, string path, EventKind? call)
    {
        var type = SegmentJson.Field(message, "type");
        var named = type is { ValueKind: JsonValueKind.String } text ? KindNamed(text.GetString()!) : null;
        if (call is { } endpoint)
        {
            if (type is not null && named != endpoint)
            {
                Error($"{path}.type", $"must be '{TypeName(endpoint)}' on this endpoint, or absent");
            }

            return endpoint;
        }

        if (named is null)
        {
            Error($"{path}.type", type is null ? $"is required: one of {Types}" : $"must be one of {Types}");
        }

        return named;
    }

    /// <summary>
    /// An id as text. SDKs may send numbers, kept as written; a blank id counts as absent, so it can name no
    /// customer. <paramref name="missing"/> is the error for an absent id, when one is required.
    /// </summary>
    private string? ReadId(JsonElement message, string field, string path, string? missing = null)
    {
        string? id;
        switch (SegmentJson.Field(message, field))
        {
            case null:
                id = null;
                break;
            case { ValueKind: JsonValueKind.String } text:
                id = text.GetString();
                break;
            case { ValueKind: JsonValueKind.Number } number:
                id = number.GetRawText();
                break;
            default:
                Error($"{path}.{field}", "must be a string or a number");
                return null;
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            if (missing is not null)
            {
                Error($"{path}.{field}", missing);
            }

            return null;
        }

        if (id.Length > MaxIdLength)
        {
            Error($"{path}.{field}", $"must be at most {MaxIdLength} characters");
        }
        else if (id.Contains('\0', StringComparison.Ordinal))
        {
            Error($"{path}.{field}", NulMessage);
        }

        return id;
    }

    private static bool IsBlank(JsonElement message, string field) =>
        SegmentJson.Field(message, field) is not { } value
        || (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()));

    private string? ReadEventName(JsonElement message, string path)
    {
        var value = SegmentJson.Field(message, "event");
        var name = value is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;
        if (value is null)
        {
            Error($"{path}.event", "is required for track");
        }
        else if (name is null)
        {
            Error($"{path}.event", "must be a string");
        }
        else if (string.IsNullOrWhiteSpace(name))
        {
            Error($"{path}.event", "must not be blank");
        }
        else if (name.Length > MaxEventNameLength)
        {
            Error($"{path}.event", $"must be at most {MaxEventNameLength} characters");
        }
        else if (name.Contains('\0', StringComparison.Ordinal))
        {
            Error($"{path}.event", NulMessage);
        }

        return name;
    }

    /// <summary>
    /// A page's or screen's properties with its <c>name</c> and <c>category</c> added: the event name is the
    /// same for every page, so these say which one. They win over properties of the same name.
    /// </summary>
    private string? ReadViewProperties(JsonElement message, string path)
    {
        var properties = SegmentJson.Merge(OptionalObject(message, "properties", path));
        foreach (var field in (ReadOnlySpan<string>)["name", "category"])
        {
            switch (SegmentJson.Field(message, field))
            {
                case { ValueKind: JsonValueKind.String } value:
                    (properties ??= new(StringComparer.Ordinal))[field] = value;
                    break;
                case not null:
                    Error($"{path}.{field}", "must be a string");
                    break;
            }
        }

        return SegmentJson.Write(properties);
    }

    /// <summary>
    /// <c>timestamp</c> when given. Otherwise <c>originalTimestamp</c>, corrected for the device's clock skew as
    /// Segment documents (receivedAt − (sentAt − originalTimestamp)) when a <c>sentAt</c> is given too; these two
    /// are hints that SDKs fill in, so ones that do not parse are ignored. Otherwise the receipt time. Never later
    /// than the receipt time.
    /// </summary>
    private DateTimeOffset ReadTimestamp(JsonElement message, string path)
    {
        if (SegmentJson.Field(message, "timestamp") is { } given)
        {
            if (SegmentJson.TryParseInstant(given, out var timestamp))
            {
                return Capped(timestamp);
            }

            Error($"{path}.timestamp", "must be an ISO 8601 date-time with an offset, such as '2024-05-01T12:00:00Z'");
            return receivedAt;
        }

        if (SegmentJson.Field(message, "originalTimestamp") is not { } originalField
            || !SegmentJson.TryParseInstant(originalField, out var original))
        {
            return receivedAt;
        }

        if ((SegmentJson.Field(message, "sentAt") ?? batchSentAt) is not { } sentField
            || !SegmentJson.TryParseInstant(sentField, out var sentAt))
        {
            return Capped(original);
        }

        // No overflow: each term is within DateTimeOffset's range of ticks, far from long's. A correction to
        // before year 1 means an absurd sentAt, ignored like one that does not parse.
        var corrected = receivedAt.UtcTicks - (sentAt.UtcTicks - original.UtcTicks);
        return corrected < 0 ? Capped(original) : new DateTimeOffset(Math.Min(corrected, receivedAt.UtcTicks), TimeSpan.Zero);
    }

    private DateTimeOffset Capped(DateTimeOffset timestamp) => timestamp > receivedAt ? receivedAt : timestamp.ToUniversalTime();

    /// <summary>The message's context over the batch's, member by member; null when neither has one.</summary>
    private OrderedDictionary<string, JsonElement>? ReadContext(JsonElement message, string path)
    {
        var context = OptionalObject(message, "context", path);
        if (context is { } own)
        {
            OptionalObject(own, "traits", $"{path}.context");
        }

        return SegmentJson.Merge(batchContext, context);
    }

    private static JsonElement? ContextTraits(OrderedDictionary<string, JsonElement>? context) =>
        context is not null && context.TryGetValue("traits", out var traits) && traits.ValueKind == JsonValueKind.Object
            ? traits
            : null;

    private JsonElement? OptionalObject(JsonElement parent, string field, string path)
    {
        var value = SegmentJson.Field(parent, field);
        if (value is { ValueKind: not JsonValueKind.Object })
        {
            Error($"{path}.{field}", "must be a JSON object");
            return null;
        }

        return value;
    }

    private string? ReadWriteKey(JsonElement root)
    {
        switch (SegmentJson.Field(root, "writeKey"))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } key:
                // A key with an unpaired surrogate is no key; FindUnpairedSurrogates has reported it.
                return SegmentJson.IsReadableText(key) ? key.GetString() : null;
            default:
                Error("$.writeKey", "must be a string");
                return null;
        }
    }

    private static EventKind? KindNamed(string type) =>
        Array.FindIndex(TypeNames, name => name.Equals(type, StringComparison.OrdinalIgnoreCase)) is var index and >= 0
            ? (EventKind)index
            : null;

    private static string TypeName(EventKind kind) => TypeNames[(int)kind];

    private void Error(string path, string message) => errors.Add(new(path, message));

    private static SegmentParseResult Unreadable(string error) => new([], null, [new("$", error)], TooLarge: false);

    private SegmentParseResult Result(List<CustomerEvent> messages, string? writeKey) =>
        errors.Count == 0
            ? new([.. messages], writeKey, [], TooLarge: false)
            : new([], writeKey, [.. errors], tooLarge);
}
