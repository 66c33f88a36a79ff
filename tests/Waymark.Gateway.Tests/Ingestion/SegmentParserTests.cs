using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Waymark.Gateway.Ingestion;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;

namespace Waymark.Gateway.Tests.Ingestion;

public class SegmentParserTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    // ---- Single calls --------------------------------------------------------------------------

    [Fact]
    public void Track_takes_its_name_from_event_and_keeps_properties()
    {
        var message = Accepted(EventKind.Track, """
            {"userId": "u-1", "event": "Order Completed", "properties": {"orderId": "o-1", "revenue": 14.99},
             "messageId": "m-1", "timestamp": "2025-05-01T11:00:00Z"}
            """);

        Assert.Equal(EventKind.Track, message.Kind);
        Assert.Equal("Order Completed", message.Name);
        Assert.Equal("""{"orderId":"o-1","revenue":14.99}""", message.Properties);
        Assert.Equal("u-1", message.UserId);
        Assert.Equal("m-1", message.MessageId);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 11, 0, 0, TimeSpan.Zero), message.Timestamp);
        Assert.Equal(ReceivedAt, message.ReceivedAt);
        Assert.Null(message.Traits);
        Assert.Null(message.Context);
    }

    [Fact]
    public void A_single_call_may_omit_type()
    {
        var message = Accepted(EventKind.Identify, """{"userId": "u-1"}""");

        Assert.Equal(EventKind.Identify, message.Kind);
    }

    [Fact]
    public void A_single_call_may_name_its_type_in_any_case()
    {
        var message = Accepted(EventKind.Track, """{"type": "TRACK", "userId": "u-1", "event": "e"}""");

        Assert.Equal(EventKind.Track, message.Kind);
    }

    [Theory]
    [InlineData("\"identify\"")]
    [InlineData("\"purchase\"")]
    [InlineData("42")]
    public void A_single_call_whose_type_is_not_its_endpoints_is_refused(string type)
    {
        var error = Refused(EventKind.Track, $$"""{"type": {{type}}, "userId": "u-1", "event": "e"}""");

        Assert.Equal(new FieldError("$.type", "must be 'track' on this endpoint, or absent"), error);
    }

    [Fact]
    public void Identify_has_no_name_and_keeps_its_traits()
    {
        var message = Accepted(EventKind.Identify, """{"userId": "u-1", "traits": {"email": "ada@example.com", "age": 36}}""");

        Assert.Null(message.Name);
        Assert.Equal("""{"email":"ada@example.com","age":36}""", message.Traits);
    }

    [Fact]
    public void Identify_traits_are_context_traits_overlaid_by_traits()
    {
        var message = Accepted(EventKind.Identify, """
            {"userId": "u-1", "traits": {"email": "new@example.com", "name": "Ada"},
             "context": {"traits": {"email": "old@example.com", "plan": "free"}}}
            """);

        Assert.Equal("""{"email":"new@example.com","plan":"free","name":"Ada"}""", message.Traits);
    }

    [Fact]
    public void Identify_with_only_context_traits_takes_them()
    {
        var message = Accepted(EventKind.Identify, """{"userId": "u-1", "context": {"traits": {"plan": "pro"}}}""");

        Assert.Equal("""{"plan":"pro"}""", message.Traits);
    }

    [Fact]
    public void Context_traits_of_other_calls_stay_inside_the_context()
    {
        var message = Accepted(EventKind.Track, """{"userId": "u-1", "event": "e", "context": {"traits": {"plan": "pro"}, "ip": "8.8.8.8"}}""");

        Assert.Null(message.Traits);
        Assert.Equal("""{"traits":{"plan":"pro"},"ip":"8.8.8.8"}""", message.Context);
    }

    [Fact]
    public void Page_becomes_page_viewed_with_the_name_in_properties()
    {
        var message = Accepted(EventKind.Page, """{"userId": "u-1", "name": "Pricing", "properties": {"url": "https://example.com/pricing"}}""");

        Assert.Equal(EventKind.Page, message.Kind);
        Assert.Equal("page_viewed", message.Name);
        Assert.Equal("""{"url":"https://example.com/pricing","name":"Pricing"}""", message.Properties);
    }

    [Fact]
    public void Screen_becomes_screen_viewed_with_the_name_in_properties()
    {
        var message = Accepted(EventKind.Screen, """{"anonymousId": "a-1", "name": "Settings"}""");

        Assert.Equal("screen_viewed", message.Name);
        Assert.Equal("""{"name":"Settings"}""", message.Properties);
    }

    [Fact]
    public void A_page_name_wins_over_a_name_in_properties()
    {
        var message = Accepted(EventKind.Page, """{"userId": "u-1", "name": "Pricing", "properties": {"name": "Old", "path": "/pricing"}}""");

        Assert.Equal("""{"name":"Pricing","path":"/pricing"}""", message.Properties);
    }

    [Fact]
    public void A_page_category_goes_into_properties_too()
    {
        var message = Accepted(EventKind.Page, """{"userId": "u-1", "category": "Docs", "name": "Install"}""");

        Assert.Equal("""{"name":"Install","category":"Docs"}""", message.Properties);
    }

    [Fact]
    public void A_page_without_name_or_properties_has_no_properties()
    {
        var message = Accepted(EventKind.Page, """{"userId": "u-1"}""");

        Assert.Equal("page_viewed", message.Name);
        Assert.Null(message.Properties);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("category")]
    public void A_page_name_or_category_that_is_not_a_string_is_refused(string field)
    {
        var error = Refused(EventKind.Page, $$$"""{"userId": "u-1", "{{{field}}}": {"title": "Home"}}""");

        Assert.Equal(new FieldError($"$.{field}", "must be a string"), error);
    }

    [Fact]
    public void Group_keeps_the_group_id_and_the_group_traits()
    {
        var message = Accepted(EventKind.Group, """{"userId": "u-1", "groupId": "acme", "traits": {"name": "Acme", "employees": 420}}""");

        Assert.Equal("acme", message.GroupId);
        Assert.Equal("""{"name":"Acme","employees":420}""", message.Traits);
        Assert.Null(message.Name);
    }

    [Fact]
    public void A_numeric_group_id_is_stringified()
    {
        var message = Accepted(EventKind.Group, """{"userId": "u-1", "groupId": 12345}""");

        Assert.Equal("12345", message.GroupId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(""", "groupId": "" """)]
    [InlineData(""", "groupId": null""")]
    public void Group_without_a_group_id_is_refused(string groupId)
    {
        var error = Refused(EventKind.Group, $$"""{"userId": "u-1"{{groupId}}}""");

        Assert.Equal(new FieldError("$.groupId", "is required for group"), error);
    }

    [Fact]
    public void Alias_keeps_the_previous_id_and_has_no_name()
    {
        var message = Accepted(EventKind.Alias, """{"previousId": "a-1", "userId": "u-1"}""");

        Assert.Equal(EventKind.Alias, message.Kind);
        Assert.Equal("a-1", message.PreviousId);
        Assert.Equal("u-1", message.UserId);
        Assert.Null(message.Name);
    }

    [Fact]
    public void Alias_needs_a_user_id_even_with_an_anonymous_id()
    {
        var error = Refused(EventKind.Alias, """{"previousId": "a-1", "anonymousId": "a-2"}""");

        Assert.Equal(new FieldError("$.userId", "is required for alias"), error);
    }

    [Fact]
    public void Alias_needs_a_previous_id()
    {
        var error = Refused(EventKind.Alias, """{"userId": "u-1"}""");

        Assert.Equal(new FieldError("$.previousId", "is required for alias"), error);
    }

    // ---- Identity ------------------------------------------------------------------------------

    [Theory]
    [InlineData("""{"event": "e"}""")]
    [InlineData("""{"event": "e", "userId": ""}""")]
    [InlineData("""{"event": "e", "userId": "  ", "anonymousId": null}""")]
    [InlineData("""{"event": "e", "userId": null, "anonymousId": "\t"}""")]
    public void A_message_without_a_user_or_anonymous_id_is_refused(string body)
    {
        var error = Refused(EventKind.Track, body);

        Assert.Equal(new FieldError("$.userId", "is required when there is no anonymousId"), error);
    }

    [Fact]
    public void An_anonymous_id_alone_is_enough()
    {
        var message = Accepted(EventKind.Track, """{"anonymousId": "a-1", "event": "e"}""");

        Assert.Null(message.UserId);
        Assert.Equal("a-1", message.AnonymousId);
    }

    [Fact]
    public void A_blank_user_id_beside_an_anonymous_id_counts_as_absent()
    {
        var message = Accepted(EventKind.Track, """{"userId": " ", "anonymousId": "a-1", "event": "e"}""");

        Assert.Null(message.UserId);
    }

    [Fact]
    public void Ids_are_kept_as_sent_without_trimming()
    {
        var message = Accepted(EventKind.Track, """{"userId": " u-1 ", "anonymousId": "A-1", "event": "e"}""");

        Assert.Equal(" u-1 ", message.UserId);
        Assert.Equal("A-1", message.AnonymousId);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("4.20", "4.20")]
    [InlineData("-1e3", "-1e3")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    public void Numeric_ids_are_stringified_as_written(string json, string expected)
    {
        var message = Accepted(EventKind.Track, $$"""{"userId": {{json}}, "anonymousId": {{json}}, "messageId": {{json}}, "event": "e"}""");

        Assert.Equal(expected, message.UserId);
        Assert.Equal(expected, message.AnonymousId);
        Assert.Equal(expected, message.MessageId);
    }

    [Theory]
    [InlineData("userId", """{"userId": {}, "event": "e"}""")]
    [InlineData("userId", """{"userId": ["u-1"], "anonymousId": "a-1", "event": "e"}""")]
    [InlineData("anonymousId", """{"userId": "u-1", "anonymousId": true, "event": "e"}""")]
    [InlineData("messageId", """{"userId": "u-1", "messageId": {"id": 1}, "event": "e"}""")]
    public void Ids_of_other_types_are_refused_naming_the_field(string field, string body)
    {
        var error = Refused(EventKind.Track, body);

        Assert.Equal(new FieldError($"$.{field}", "must be a string or a number"), error);
    }

    [Theory]
    [InlineData("userId")]
    [InlineData("anonymousId")]
    [InlineData("messageId")]
    [InlineData("groupId")]
    public void Ids_may_have_254_characters_the_customer_log_keys_them_by_but_not_more(string field)
    {
        string Body(int length)
        {
            var members = new Dictionary<string, string> { ["userId"] = "u-1", ["groupId"] = "g-1", [field] = new string('x', length) };
            return $"{{{string.Join(", ", members.Select(m => $"\"{m.Key}\": \"{m.Value}\""))}}}";
        }

        Accepted(EventKind.Group, Body(254));
        var error = Refused(EventKind.Group, Body(255));

        Assert.Equal(new FieldError($"$.{field}", "must be at most 254 characters"), error);
    }

    [Theory]
    [InlineData("userId", """{"userId": "u\u0000", "event": "e"}""")]
    [InlineData("anonymousId", """{"anonymousId": "\u0000", "event": "e"}""")]
    [InlineData("event", """{"userId": "u-1", "event": "signed\u0000up"}""")]
    public void Ids_and_event_names_with_a_nul_are_refused_as_no_database_stores_them(string field, string body)
    {
        var error = Refused(EventKind.Track, body);

        Assert.Equal($"$.{field}", error.Path);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    // ---- messageId -----------------------------------------------------------------------------

    [Fact]
    public void A_message_without_a_message_id_gets_a_fresh_one()
    {
        var result = Parse(null, """{"batch": [{"type": "track", "userId": "u-1", "event": "e"}, {"type": "track", "userId": "u-1", "event": "e", "messageId": " "}]}""");

        Assert.Empty(result.Errors);
        Assert.All(result.Messages, m => Assert.Matches("^[0-9a-f]{32}$", m.MessageId));
        Assert.NotEqual(result.Messages[0].MessageId, result.Messages[1].MessageId);
    }

    // ---- Timestamps ----------------------------------------------------------------------------

    [Theory]
    [InlineData("2025-04-30T10:00:00Z", "2025-04-30T10:00:00.0000000+00:00")]
    [InlineData("2025-04-30T10:00:00.123Z", "2025-04-30T10:00:00.1230000+00:00")]
    [InlineData("2025-04-30T18:00:00+08:00", "2025-04-30T10:00:00.0000000+00:00")]
    [InlineData("2025-04-30T18:00:00.5+0800", "2025-04-30T10:00:00.5000000+00:00")]
    [InlineData("2025-04-30T05:00:00-05:00", "2025-04-30T10:00:00.0000000+00:00")]
    [InlineData("2025-04-30T10:00:00.123456789Z", "2025-04-30T10:00:00.1234567+00:00")]
    [InlineData("2025-04-30 10:00:00z", "2025-04-30T10:00:00.0000000+00:00")]
    [InlineData("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.0000000+00:00")]
    public void A_timestamp_with_an_offset_is_kept_as_its_instant_in_utc(string timestamp, string expected)
    {
        var message = Accepted(EventKind.Track, $$"""{"userId": "u-1", "event": "e", "timestamp": "{{timestamp}}"}""");

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), message.Timestamp);
        Assert.Equal(TimeSpan.Zero, message.Timestamp.Offset);
    }

    [Fact]
    public void An_absent_timestamp_is_the_receipt_time()
    {
        var message = Accepted(EventKind.Track, """{"userId": "u-1", "event": "e", "timestamp": null}""");

        Assert.Equal(ReceivedAt, message.Timestamp);
    }

    [Fact]
    public void A_future_timestamp_is_capped_at_receipt()
    {
        var message = Accepted(EventKind.Track, """{"userId": "u-1", "event": "e", "timestamp": "2025-05-01T20:00:00+08:00"}""");

        Assert.Equal(ReceivedAt, message.Timestamp);
    }

    [Fact]
    public void The_receipt_time_is_normalized_to_utc()
    {
        var result = SegmentParser.Parse(Encoding.UTF8.GetBytes("""{"userId": "u-1", "event": "e"}"""), EventKind.Track,
            ReceivedAt.ToOffset(TimeSpan.FromHours(8)));

        var message = Assert.Single(result.Messages);
        Assert.Equal(TimeSpan.Zero, message.ReceivedAt.Offset);
        Assert.Equal(TimeSpan.Zero, message.Timestamp.Offset);
        Assert.Equal(ReceivedAt, message.ReceivedAt);
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2025-04-30\"")]
    [InlineData("\"2025-04-30T10:00:00\"")]
    [InlineData("\"2025-04-30T10:00Z\"")]
    [InlineData("\"2025-13-01T00:00:00Z\"")]
    [InlineData("\"2025-02-30T00:00:00Z\"")]
    [InlineData("\"2025-04-30T10:00:00+15:00\"")]
    [InlineData("\"2015-2-02T00:30:08.276Z\"")]
    [InlineData("\"2025-04-30T10:00:00Z\\n\"")]
    [InlineData("\"１９７０-01-01T00:00:00Z\"")]
    [InlineData("\"1714564800\"")]
    [InlineData("1714564800")]
    [InlineData("true")]
    [InlineData("{}")]
    public void An_unparseable_timestamp_is_refused(string timestamp)
    {
        var error = Refused(EventKind.Track, $$"""{"userId": "u-1", "event": "e", "timestamp": {{timestamp}}}""");

        Assert.Equal(new FieldError("$.timestamp", "must be an ISO 8601 date-time with an offset, such as '2024-05-01T12:00:00Z'"), error);
    }

    [Fact]
    public void Original_timestamp_is_corrected_for_the_devices_clock_skew()
    {
        // The device clock is an hour behind: it sent the message 5 s after it happened, by its own clock.
        var message = Accepted(EventKind.Track, """
            {"userId": "u-1", "event": "e", "originalTimestamp": "2025-05-01T10:59:50Z", "sentAt": "2025-05-01T10:59:55Z"}
            """);

        Assert.Equal(ReceivedAt.AddSeconds(-5), message.Timestamp);
    }

    [Fact]
    public void A_batch_sent_at_corrects_messages_without_their_own()
    {
        var result = Parse(null, """
            {"sentAt": "2025-05-01T10:59:55Z", "batch": [
              {"type": "track", "userId": "u-1", "event": "e", "originalTimestamp": "2025-05-01T10:59:50Z"},
              {"type": "track", "userId": "u-1", "event": "e", "originalTimestamp": "2025-05-01T10:59:50Z", "sentAt": "2025-05-01T10:59:52Z"}]}
            """);

        Assert.Equal([ReceivedAt.AddSeconds(-5), ReceivedAt.AddSeconds(-2)], result.Messages.Select(m => m.Timestamp));
    }

    [Fact]
    public void An_explicit_timestamp_is_not_corrected()
    {
        var message = Accepted(EventKind.Track, """
            {"userId": "u-1", "event": "e", "timestamp": "2025-05-01T11:00:00Z",
             "originalTimestamp": "2025-05-01T10:59:50Z", "sentAt": "2025-05-01T10:59:55Z"}
            """);

        Assert.Equal(new DateTimeOffset(2025, 5, 1, 11, 0, 0, TimeSpan.Zero), message.Timestamp);
    }

    [Fact]
    public void Original_timestamp_without_sent_at_is_taken_as_it_is()
    {
        var message = Accepted(EventKind.Track, """{"userId": "u-1", "event": "e", "originalTimestamp": "2025-05-01T11:30:00+01:00"}""");

        Assert.Equal(new DateTimeOffset(2025, 5, 1, 10, 30, 0, TimeSpan.Zero), message.Timestamp);
    }

    [Theory]
    [InlineData("\"later\"", "2025-05-01T10:59:50.0000000+00:00")]
    [InlineData("\"9999-12-31T23:59:59Z\"", "2025-05-01T10:59:50.0000000+00:00")]
    public void Clock_skew_hints_that_are_unusable_are_ignored(string sentAt, string expected)
    {
        var message = Accepted(EventKind.Track, $$"""{"userId": "u-1", "event": "e", "originalTimestamp": "2025-05-01T10:59:50Z", "sentAt": {{sentAt}}}""");

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), message.Timestamp);
    }

    [Fact]
    public void A_corrected_timestamp_in_the_future_is_capped_at_receipt()
    {
        var message = Accepted(EventKind.Track, """
            {"userId": "u-1", "event": "e", "originalTimestamp": "2025-05-01T11:00:10Z", "sentAt": "2025-05-01T11:00:00Z"}
            """);

        Assert.Equal(ReceivedAt, message.Timestamp);
    }

    [Fact]
    public void An_unparseable_original_timestamp_falls_back_to_receipt()
    {
        var message = Accepted(EventKind.Track, """{"userId": "u-1", "event": "e", "originalTimestamp": 1714564800}""");

        Assert.Equal(ReceivedAt, message.Timestamp);
    }

    // ---- Track's event -------------------------------------------------------------------------

    [Theory]
    [InlineData("", "is required for track")]
    [InlineData(""", "event": null""", "is required for track")]
    [InlineData(""", "event": "" """, "must not be blank")]
    [InlineData(""", "event": "  " """, "must not be blank")]
    [InlineData(""", "event": 42""", "must be a string")]
    [InlineData(""", "event": ["e"]""", "must be a string")]
    public void Track_needs_an_event_name(string @event, string expected)
    {
        var error = Refused(EventKind.Track, $$"""{"userId": "u-1"{{@event}}}""");

        Assert.Equal(new FieldError("$.event", expected), error);
    }

    [Fact]
    public void An_event_name_may_have_200_characters_but_not_more()
    {
        Accepted(EventKind.Track, $$"""{"userId": "u-1", "event": "{{new string('e', 200)}}"}""");
        var error = Refused(EventKind.Track, $$"""{"userId": "u-1", "event": "{{new string('e', 201)}}"}""");

        Assert.Equal(new FieldError("$.event", "must be at most 200 characters"), error);
    }

    // ---- JSON members --------------------------------------------------------------------------

    [Theory]
    [InlineData(EventKind.Track, "properties", "\"none\"")]
    [InlineData(EventKind.Page, "properties", "[]")]
    [InlineData(EventKind.Screen, "properties", "1")]
    [InlineData(EventKind.Identify, "traits", "[{\"email\": \"a@x.io\"}]")]
    [InlineData(EventKind.Group, "traits", "true")]
    [InlineData(EventKind.Alias, "context", "\"ctx\"")]
    public void Properties_traits_and_context_must_be_objects(EventKind call, string field, string json)
    {
        var error = Refused(call, $$"""{"userId": "u-1", "event": "e", "groupId": "g", "previousId": "a", "{{field}}": {{json}}}""");

        Assert.Equal(new FieldError($"$.{field}", "must be a JSON object"), error);
    }

    [Fact]
    public void Context_traits_must_be_an_object()
    {
        var error = Refused(EventKind.Track, """{"userId": "u-1", "event": "e", "context": {"traits": "pro"}}""");

        Assert.Equal(new FieldError("$.context.traits", "must be a JSON object"), error);
    }

    [Fact]
    public void Null_objects_count_as_absent()
    {
        var message = Accepted(EventKind.Identify, """{"userId": "u-1", "traits": null, "context": null}""");

        Assert.Null(message.Traits);
        Assert.Null(message.Context);
    }

    [Fact]
    public void Members_a_call_does_not_use_are_ignored_unchecked()
    {
        var track = Accepted(EventKind.Track, """{"userId": "u-1", "event": "e", "traits": {"plan": "pro"}, "groupId": [], "integrations": 7}""");
        var identify = Accepted(EventKind.Identify, """{"userId": "u-1", "properties": "none", "event": {}, "channel": "server"}""");

        Assert.Null(track.Traits);
        Assert.Null(track.GroupId);
        Assert.Null(identify.Properties);
        Assert.Null(identify.Name);
    }

    [Fact]
    public void Json_members_are_written_compactly_with_their_values_as_sent()
    {
        var message = Accepted(EventKind.Track, """
            {"userId": "u-1", "event": "e", "properties": {
                "price" : 14.990,
                "big": 12345678901234567890123,
                "huge": 1e400,
                "nested": { "list": [ 1, 2, { "none": null } ] },
                "text": "Café 北京 <b>&'\"quoted\"\n",
                "emoji": "\uD83D\uDE00",
                "flag": true
            }}
            """);

        Assert.Equal(
            """{"price":14.990,"big":12345678901234567890123,"huge":1e400,"nested":{"list":[1,2,{"none":null}]},"text":"Café 北京 <b>&'\"quoted\"\n","emoji":"\uD83D\uDE00","flag":true}""",
            message.Properties);
        using var reparsed = JsonDocument.Parse(message.Properties!);
        Assert.Equal("Café 北京 <b>&'\"quoted\"\n", reparsed.RootElement.GetProperty("text").GetString());
        Assert.Equal("😀", reparsed.RootElement.GetProperty("emoji").GetString());
    }

    // ---- Batches -------------------------------------------------------------------------------

    [Fact]
    public void A_batch_of_every_type_is_read_in_order()
    {
        var result = Parse(null, """
            {"batch": [
              {"type": "identify", "userId": "u-1", "traits": {"name": "Ada"}},
              {"type": "track", "userId": "u-1", "event": "Signed Up"},
              {"type": "page", "userId": "u-1", "name": "Home"},
              {"type": "screen", "userId": "u-1", "name": "Inbox"},
              {"type": "group", "userId": "u-1", "groupId": "acme"},
              {"type": "Alias", "userId": "u-1", "previousId": "a-1"}]}
            """);

        Assert.Empty(result.Errors);
        Assert.False(result.TooLarge);
        Assert.Equal(
            [EventKind.Identify, EventKind.Track, EventKind.Page, EventKind.Screen, EventKind.Group, EventKind.Alias],
            result.Messages.Select(m => m.Kind));
        Assert.Equal([null, "Signed Up", "page_viewed", "screen_viewed", null, null], result.Messages.Select(m => m.Name));
    }

    [Theory]
    [InlineData("{}", "is required: an array of messages")]
    [InlineData("""{"batch": null}""", "is required: an array of messages")]
    [InlineData("""{"batch": {"type": "track"}}""", "must be an array of messages")]
    [InlineData("""{"batch": []}""", "must hold at least one message")]
    public void A_batch_needs_an_array_of_messages(string body, string expected)
    {
        var error = Refused(null, body);

        Assert.Equal(new FieldError("$.batch", expected), error);
    }

    [Fact]
    public void A_batch_may_hold_2500_messages_but_not_more()
    {
        static string Batch(int count) =>
            $$"""{"batch": [{{string.Join(",", Enumerable.Repeat("""{"type": "track", "userId": "u-1", "event": "e"}""", count))}}]}""";

        Assert.Equal(2500, Parse(null, Batch(2500)).Messages.Length);
        var error = Refused(null, Batch(2501));

        Assert.Equal(new FieldError("$.batch", "must hold at most 2500 messages"), error);
    }

    [Theory]
    [InlineData("""{"userId": "u-1", "event": "e"}""", "is required: one of identify, track, page, screen, group, alias")]
    [InlineData("""{"type": null, "userId": "u-1", "event": "e"}""", "is required: one of identify, track, page, screen, group, alias")]
    [InlineData("""{"type": "purchase", "userId": "u-1", "event": "e"}""", "must be one of identify, track, page, screen, group, alias")]
    [InlineData("""{"type": 1, "userId": "u-1", "event": "e"}""", "must be one of identify, track, page, screen, group, alias")]
    public void Each_message_of_a_batch_needs_a_known_type(string message, string expected)
    {
        var error = Refused(null, $$"""{"batch": [{{message}}]}""");

        Assert.Equal(new FieldError("$.batch[0].type", expected), error);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"track\"")]
    [InlineData("[]")]
    public void A_batch_item_that_is_not_an_object_is_refused(string item)
    {
        var error = Refused(null, $$"""{"batch": [{{item}}]}""");

        Assert.Equal(new FieldError("$.batch[0]", "must be a JSON object"), error);
    }

    [Fact]
    public void One_bad_message_rejects_the_whole_batch_and_names_its_index()
    {
        var result = Parse(null, """
            {"batch": [
              {"type": "track", "userId": "u-1", "event": "First"},
              {"type": "track", "userId": "u-1"},
              {"type": "track", "userId": "u-1", "event": "Third"}]}
            """);

        Assert.Empty(result.Messages);
        Assert.Equal(new FieldError("$.batch[1].event", "is required for track"), Assert.Single(result.Errors));
        Assert.False(result.TooLarge);
    }

    [Fact]
    public void Every_error_of_every_message_is_reported()
    {
        var result = Parse(null, """
            {"context": [], "batch": [
              {"type": "track", "userId": {}, "timestamp": "soon"},
              {"type": "identify", "userId": "u-1"},
              {"type": "group", "traits": 1},
              {"type": "nope", "anonymousId": "a-1", "messageId": []}]}
            """);

        Assert.Empty(result.Messages);
        Assert.Equal(
            [
                "$.context", "$.batch[0].userId", "$.batch[0].timestamp", "$.batch[0].event",
                "$.batch[2].userId", "$.batch[2].groupId", "$.batch[2].traits", "$.batch[3].type", "$.batch[3].messageId",
            ],
            result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void A_batch_context_is_merged_under_each_message_context()
    {
        var result = Parse(null, """
            {"context": {"library": {"name": "batch"}, "ip": "8.8.8.8"}, "batch": [
              {"type": "track", "userId": "u-1", "event": "e", "context": {"library": {"name": "own"}, "locale": "en-US"}},
              {"type": "track", "userId": "u-1", "event": "e"}]}
            """);

        Assert.Equal(
            ["""{"library":{"name":"own"},"ip":"8.8.8.8","locale":"en-US"}""", """{"library":{"name":"batch"},"ip":"8.8.8.8"}"""],
            result.Messages.Select(m => m.Context));
    }

    [Fact]
    public void Batch_context_traits_feed_identify_unless_the_message_has_its_own()
    {
        var result = Parse(null, """
            {"context": {"traits": {"plan": "free"}}, "batch": [
              {"type": "identify", "userId": "u-1", "traits": {"name": "Ada"}},
              {"type": "identify", "userId": "u-2", "context": {"traits": {"plan": "pro"}}}]}
            """);

        Assert.Equal(["""{"plan":"free","name":"Ada"}""", """{"plan":"pro"}"""], result.Messages.Select(m => m.Traits));
    }

    [Fact]
    public void Batch_context_traits_must_be_an_object()
    {
        var error = Refused(null, """{"context": {"traits": 5}, "batch": [{"type": "track", "userId": "u-1", "event": "e"}]}""");

        Assert.Equal(new FieldError("$.context.traits", "must be a JSON object"), error);
    }

    // ---- Write key -----------------------------------------------------------------------------

    [Fact]
    public void The_write_key_of_a_single_call_is_read_from_its_body()
    {
        var result = Parse(EventKind.Track, """{"writeKey": "wk_1", "userId": "u-1", "event": "e"}""");

        Assert.Equal("wk_1", result.WriteKey);
        Assert.Single(result.Messages);
    }

    [Fact]
    public void The_write_key_of_a_batch_is_read_from_the_top_and_ignored_in_messages()
    {
        var top = Parse(null, """{"writeKey": "wk_1", "batch": [{"type": "track", "userId": "u-1", "event": "e", "writeKey": "wk_2"}]}""");
        var inner = Parse(null, """{"batch": [{"type": "track", "userId": "u-1", "event": "e", "writeKey": "wk_2"}]}""");

        Assert.Equal("wk_1", top.WriteKey);
        Assert.Null(inner.WriteKey);
        Assert.Single(inner.Messages);
    }

    [Fact]
    public void The_write_key_is_read_even_from_a_body_with_errors()
    {
        var result = Parse(EventKind.Track, """{"writeKey": "wk_1", "event": 5}""");

        Assert.Equal("wk_1", result.WriteKey);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void A_write_key_that_is_not_a_string_is_refused()
    {
        var result = Parse(EventKind.Track, """{"writeKey": 12345, "userId": "u-1", "event": "e"}""");

        Assert.Null(result.WriteKey);
        Assert.Equal(new FieldError("$.writeKey", "must be a string"), Assert.Single(result.Errors));
    }

    // ---- Size ----------------------------------------------------------------------------------

    [Fact]
    public void A_message_of_exactly_32_KB_is_accepted()
    {
        var result = Parse(null, Batch(MessageOfBytes(SegmentParser.MaxMessageBytes)));

        Assert.Empty(result.Errors);
        Assert.Single(result.Messages);
    }

    [Fact]
    public void A_message_over_32_KB_makes_the_request_too_large_and_is_named()
    {
        var result = Parse(null, Batch("""{"type": "track", "userId": "u-1", "event": "e"}""", MessageOfBytes(SegmentParser.MaxMessageBytes + 1)));

        Assert.True(result.TooLarge);
        Assert.Empty(result.Messages);
        Assert.Equal(new FieldError("$.batch[1]", "is larger than 32 KB"), Assert.Single(result.Errors));
    }

    [Fact]
    public void A_single_call_over_32_KB_is_too_large_at_the_root()
    {
        var result = Parse(EventKind.Track, "  " + MessageOfBytes(SegmentParser.MaxMessageBytes + 1) + "\n");

        Assert.True(result.TooLarge);
        Assert.Equal(new FieldError("$", "is larger than 32 KB"), Assert.Single(result.Errors));
    }

    [Fact]
    public void Whitespace_between_messages_does_not_count_toward_their_size()
    {
        var padded = Batch(MessageOfBytes(SegmentParser.MaxMessageBytes)).Replace("[", "[" + new string(' ', 1000), StringComparison.Ordinal);

        Assert.Empty(Parse(null, padded).Errors);
    }

    [Fact]
    public void A_too_large_request_still_lists_its_other_errors()
    {
        var result = Parse(null, Batch("""{"type": "track", "userId": "u-1"}""", MessageOfBytes(SegmentParser.MaxMessageBytes + 1)));

        Assert.True(result.TooLarge);
        Assert.Equal(["$.batch[0].event", "$.batch[1]"], result.Errors.Select(e => e.Path));
    }

    // ---- Hostile bodies ------------------------------------------------------------------------

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"track\"")]
    [InlineData("null")]
    [InlineData("true")]
    public void A_body_that_is_not_an_object_is_one_error_at_the_root(string body)
    {
        var error = Refused(EventKind.Track, body);

        Assert.Equal(new FieldError("$", "must be a JSON object"), error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"userId\": }")]
    [InlineData("{'userId': 'u-1'}")]
    [InlineData("{\"userId\": \"u-1\",}")]
    [InlineData("// comment\n{}")]
    [InlineData("{} {}")]
    [InlineData("{\"event\": \"a\u0001b\"}")]
    public void Malformed_json_is_one_error_at_the_root_with_the_readers_message(string body)
    {
        var error = Refused(EventKind.Track, body);

        Assert.Equal("$", error.Path);
        Assert.Contains("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused_rather_than_replaced()
    {
        byte[] body = [.. "{\"userId\": \"u-"u8, 0xC3, 0x28, .. "\", \"event\": \"e\"}"u8];

        var result = SegmentParser.Parse(body, EventKind.Track, ReceivedAt);

        Assert.Equal(new FieldError("$", "is not valid UTF-8"), Assert.Single(result.Errors));
    }

    [Fact]
    public void A_leading_byte_order_mark_is_ignored()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. """{"userId": "u-1", "event": "e"}"""u8];

        var result = SegmentParser.Parse(body, EventKind.Track, ReceivedAt);

        Assert.Single(result.Messages);
    }

    [Fact]
    public void Nesting_deeper_than_64_levels_is_an_error_not_a_crash()
    {
        var deep = new string('[', 70) + new string(']', 70);

        var error = Refused(EventKind.Track, $$$"""{"userId": "u-1", "event": "e", "properties": {"deep": {{{deep}}}}}""");

        Assert.Equal("$", error.Path);
        Assert.Contains("maximum configured depth of 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"userId": "u-1", "userId": "u-2", "event": "e"}""")]
    [InlineData("""{"userId": "u-1", "event": "e", "properties": {"plan": "free", "plan": "pro"}}""")]
    public void Duplicate_member_names_are_refused_anywhere(string body)
    {
        var error = Refused(EventKind.Track, body);

        Assert.Equal("$", error.Path);
        Assert.Contains("Duplicate property", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_unpaired_surrogate_is_refused_at_its_path()
    {
        var result = Parse(null, """
            {"batch": [{"type": "track", "userId": "u-1", "event": "e", "properties": {"title": "x\uD800", "ok": "\uD83D\uDE00"}},
                       {"type": "track", "userId": "u-\uDC00", "event": "e"}]}
            """);

        Assert.Empty(result.Messages);
        Assert.Equal(["$.batch[0].properties.title", "$.batch[1].userId"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void A_member_name_with_an_unpaired_surrogate_is_refused()
    {
        var error = Refused(EventKind.Track, """{"userId": "u-1", "event": "e", "properties": {"\uD800": 1}}""");

        Assert.Equal(new FieldError("$", "has a member name with a \\u escape of an unpaired surrogate, which is not text"), error);
    }

    [Fact]
    public void A_write_key_with_an_unpaired_surrogate_is_no_key()
    {
        var result = Parse(EventKind.Track, """{"writeKey": "wk_\uD800", "userId": "u-1", "event": "e"}""");

        Assert.Null(result.WriteKey);
        Assert.Equal(["$.writeKey"], result.Errors.Select(e => e.Path));
    }

    // ---- SDK payloads --------------------------------------------------------------------------

    [Fact]
    public void A_batch_as_segment_analytics_node_sends_it_is_accepted()
    {
        var result = Parse(null, SegmentAnalyticsNodeBatch);

        Assert.Empty(result.Errors);
        Assert.Null(result.WriteKey); // analytics-node authenticates with HTTP Basic
        var (identify, track, page, alias) = (result.Messages[0], result.Messages[1], result.Messages[2], result.Messages[3]);
        Assert.Equal("""{"email":"ada@example.com","name":"Ada Lovelace"}""", identify.Traits);
        Assert.Equal("""{"library":{"name":"@segment/analytics-node","version":"2.2.1"}}""", identify.Context);
        Assert.Equal("node-next-1746100798123-3f0c2a91-9b8e-4c7d-a1f2-6e5d4c3b2a19", identify.MessageId);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 11, 59, 58, 123, TimeSpan.Zero), identify.Timestamp);
        Assert.Equal(("Order Completed", """{"orderId":"o-1","revenue":14.99,"currency":"USD"}"""), (track.Name, track.Properties));
        Assert.Equal("""{"category":"Docs","url":"https://example.com/docs","name":"Install"}""", page.Properties);
        Assert.Equal(("user-42", "anon-7"), (alias.UserId, alias.PreviousId));
    }

    [Fact]
    public void A_batch_as_rudderstack_node_sends_it_is_accepted()
    {
        var result = Parse(null, RudderStackNodeBatch);

        Assert.Empty(result.Errors);
        var (identify, track) = (result.Messages[0], result.Messages[1]);
        Assert.Equal("""{"email":"ada@example.com","plan":"pro"}""", identify.Traits);
        Assert.Equal(
            """{"traits":{"email":"ada@example.com","plan":"pro"},"library":{"name":"analytics-node","version":"2.1.4"}}""",
            identify.Context);
        // originalTimestamp 10:59:50 and sentAt 10:59:55 by a device clock an hour behind.
        Assert.Equal(ReceivedAt.AddSeconds(-5), identify.Timestamp);
        Assert.Equal(("Order Completed", "42"), (track.Name, track.UserId));
        Assert.Equal("5bd7e1f4-6f1c-4b7e-9a4f-2d8c1e0b9a7c", track.MessageId);
    }

    [Theory]
    [InlineData(EventKind.Identify, """{"userId": "019mr8mf4r", "traits": {"email": "pgibbons@example.com", "name": "Peter Gibbons", "industry": "Technology"}, "context": {"ip": "24.5.68.47"}, "timestamp": "2012-12-02T00:30:08.276Z", "writeKey": "YOUR_WRITE_KEY"}""")]
    [InlineData(EventKind.Track, """{"userId": "019mr8mf4r", "event": "Item Purchased", "properties": {"name": "Leap to Conclusions Mat", "revenue": 14.99}, "context": {"ip": "24.5.68.47"}, "timestamp": "2012-12-02T00:30:12.984Z", "writeKey": "YOUR_WRITE_KEY"}""")]
    [InlineData(EventKind.Page, """{"userId": "019mr8mf4r", "name": "Tracking HTTP API", "timestamp": "2012-12-02T00:31:29.738Z", "writeKey": "YOUR_WRITE_KEY"}""")]
    [InlineData(EventKind.Screen, """{"userId": "019mr8mf4r", "name": "Tracking HTTP API", "timestamp": "2012-12-02T00:31:29.738Z", "writeKey": "YOUR_WRITE_KEY"}""")]
    [InlineData(EventKind.Group, """{"userId": "019mr8mf4r", "groupId": "8e9df332ac", "traits": {"name": "Initech", "industry": "Technology", "employees": 420}, "timestamp": "2012-12-02T00:31:38.208Z", "writeKey": "YOUR_WRITE_KEY"}""")]
    [InlineData(EventKind.Alias, """{"previousId": "39239-239239-239239-23923", "userId": "019mr8mf4r", "timestamp": "2012-12-02T00:31:29.738Z", "writeKey": "YOUR_WRITE_KEY"}""")]
    public void The_examples_of_segments_http_api_reference_are_accepted(EventKind call, string body)
    {
        var result = Parse(call, body);

        Assert.Empty(result.Errors);
        Assert.Equal("YOUR_WRITE_KEY", result.WriteKey);
        Assert.Equal("019mr8mf4r", Assert.Single(result.Messages).UserId);
    }

    // ---- Properties that hold for any body -----------------------------------------------------

    [Fact]
    public void Random_bytes_never_throw_and_give_messages_or_errors()
    {
        Gen.Byte.Array[0, 80].Sample(bytes => AssertWellFormed(SegmentParser.Parse(bytes, EventKind.Track, ReceivedAt)), iter: 5_000);
    }

    [Fact]
    public void Random_json_like_text_never_throws_and_gives_messages_or_errors()
    {
        Gen.Char["{}[]\":,0123456789.-+eE \\u\ntrufalsnDdF8"].Array[0, 60]
            .Select(chars => new string(chars))
            .Sample(text => AssertWellFormed(Parse(null, text)), iter: 5_000);
    }

    [Fact]
    public void Mutated_sdk_payloads_never_throw_and_give_messages_or_errors()
    {
        string[] payloads = [SegmentAnalyticsNodeBatch, RudderStackNodeBatch];
        var edit = Gen.Select(Gen.Int[0, 2], Gen.Int[0, int.MaxValue], Gen.OneOf(Fragments));
        Gen.Select(Gen.Int[0, payloads.Length - 1], edit.Array[1, 4])
            .Select((payload, edits) => edits.Aggregate(payloads[payload], Mutate))
            .Sample(text => AssertWellFormed(Parse(null, text)), iter: 5_000);
    }

    [Fact]
    public void Generated_segment_shaped_bodies_never_throw_and_give_messages_or_errors()
    {
        Gen.OneOf(
                Gen.Select(Gen.Enum<EventKind>(), MessageText, (call, message) => (Call: (EventKind?)call, Body: message)),
                MessageText.Array[0, 4].Select(messages => (Call: (EventKind?)null, Body: Batch(messages))))
            .Sample(input => AssertWellFormed(Parse(input.Call, input.Body)), iter: 5_000);
    }

    [Fact]
    public void Valid_batches_are_read_whole_and_in_order()
    {
        var message = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 9999], Gen.Bool, (kind, id, numeric) => (Kind: (EventKind)kind, Id: numeric ? $"{id}" : $"\"u-{id}\""));
        message.Array[1, 20].Sample(messages =>
        {
            var body = $"{{\"batch\": [{string.Join(",", messages.Select(m => ValidMessage(m.Kind, m.Id)))}]}}";

            var result = Parse(null, body);

            Assert.Empty(result.Errors);
            Assert.Equal(messages.Select(m => m.Kind), result.Messages.Select(m => m.Kind));
            Assert.Equal(messages.Select(m => m.Id.Trim('"')), result.Messages.Select(m => m.UserId));
        }, iter: 500);
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static SegmentParseResult Parse(EventKind? call, string body) => SegmentParser.Parse(Encoding.UTF8.GetBytes(body), call, ReceivedAt);

    private static CustomerEvent Accepted(EventKind call, string body)
    {
        var result = Parse(call, body);
        Assert.Empty(result.Errors);
        Assert.False(result.TooLarge);
        return Assert.Single(result.Messages);
    }

    private static FieldError Refused(EventKind? call, string body)
    {
        var result = Parse(call, body);
        Assert.Empty(result.Messages);
        Assert.False(result.TooLarge);
        return Assert.Single(result.Errors);
    }

    private static string Batch(params string[] messages) => $"{{\"batch\": [{string.Join(",", messages)}]}}";

    /// <summary>A valid track message whose JSON text is exactly <paramref name="bytes"/> long.</summary>
    private static string MessageOfBytes(int bytes)
    {
        const string Frame = """{"type": "track", "userId": "u-1", "event": "e", "properties": {"padding": ""}}""";
        return Frame.Replace("\"\"}", $"\"{new string('x', bytes - Frame.Length)}\"}}", StringComparison.Ordinal);
    }

    private static string ValidMessage(EventKind kind, string userId) => kind switch
    {
        EventKind.Identify => $$$"""{"type": "identify", "userId": {{{userId}}}, "traits": {"plan": "pro"}}""",
        EventKind.Track => $$"""{"type": "track", "userId": {{userId}}, "event": "Signed Up"}""",
        EventKind.Page => $$"""{"type": "page", "userId": {{userId}}, "name": "Home"}""",
        EventKind.Screen => $$"""{"type": "screen", "userId": {{userId}}}""",
        EventKind.Group => $$"""{"type": "group", "userId": {{userId}}, "groupId": "acme"}""",
        _ => $$"""{"type": "alias", "userId": {{userId}}, "previousId": "a-1"}""",
    };

    /// <summary>What must hold whatever the body: messages or errors, never both or neither, and sound messages.</summary>
    private static void AssertWellFormed(SegmentParseResult result)
    {
        Assert.NotEqual(result.Messages.IsEmpty, result.Errors.IsEmpty);
        Assert.True(!result.TooLarge || !result.Errors.IsEmpty);
        Assert.All(result.Errors, e => Assert.StartsWith("$", e.Path, StringComparison.Ordinal));
        foreach (var message in result.Messages)
        {
            Assert.False(string.IsNullOrWhiteSpace(message.MessageId));
            Assert.True(message.Timestamp <= ReceivedAt);
            Assert.Equal(TimeSpan.Zero, message.Timestamp.Offset);
            Assert.Equal(ReceivedAt, message.ReceivedAt);
            if (message.Kind == EventKind.Alias)
            {
                Assert.NotNull(message.UserId);
                Assert.NotNull(message.PreviousId);
            }
            else
            {
                Assert.NotNull(message.UserId ?? message.AnonymousId);
            }

            Assert.True(message.Kind != EventKind.Track || !string.IsNullOrWhiteSpace(message.Name));
            Assert.True(message.Kind != EventKind.Group || message.GroupId is not null);
            Assert.All(new[] { message.Properties, message.Traits, message.Context }.OfType<string>(), json =>
            {
                using var document = JsonDocument.Parse(json);
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            });
        }
    }

    private static string Mutate(string text, (int Kind, int Position, string Fragment) edit)
    {
        var at = edit.Position % (text.Length + 1);
        return edit.Kind switch
        {
            0 => at < text.Length ? text.Remove(at, 1) : text,
            1 => text.Insert(at, edit.Fragment),
            _ => at < text.Length ? text.Remove(at, 1).Insert(at, edit.Fragment) : text + edit.Fragment,
        };
    }

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ",", ":", "null", "1e999", "-0", "\\uD800", "\\", "\u0000", "é", " ", "[[[[", "\"type\": \"alias\",",
        "\"timestamp\": \"9999-12-31T23:59:59.9999999-14:00\",", "\"sentAt\": \"0001-01-01T00:00:00+14:00\",", "\"userId\": 7,",
    ];

    private static readonly string[] Keys =
    [
        "type", "userId", "anonymousId", "previousId", "messageId", "groupId", "event", "name", "category", "timestamp",
        "originalTimestamp", "sentAt", "properties", "traits", "context", "writeKey", "batch", "other",
    ];

    private static readonly Gen<string> Timestamp = Gen.Frequency(
        (6, Gen.OneOf("\"2025-05-01T10:00:00Z\"", "\"2025-05-01T10:00:00.123456789+08:00\"", "\"2999-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00Z\"")),
        (1, Gen.OneOf("\"0001-01-01T00:00:00+01:00\"", "\"9999-12-31T23:59:59.9999999-14:00\"", "\"2025-02-30T00:00:00Z\"")));

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.OneOf("null", "true", "false", "0", "-1.5e3", "1e400", "12345678901234567890123", "{}", "[]"),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Timestamp,
        Gen.OneOf(
            "", " ", "u-1", "identify", "track", "page", "screen", "group", "alias", "TRACK", "bogus", "é中😀", "\\uD83D\\uDE00",
            "\\uDC00", "\\n", new string('x', 300))
            .Select(text => $"\"{text}\""));

    private static readonly Gen<string> JsonText = Gen.Recursive<string>((depth, value) => depth >= 3
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (1, ObjectText(value)),
            (1, value.Array[0, 4].Select(items => $"[{string.Join(", ", items)}]"))));

    private static Gen<string> ObjectText(Gen<string> values) =>
        Gen.OneOf(Keys).ArrayUnique[0, 4].SelectMany(keys => values.Array[keys.Length].Select(
            items => $"{{{string.Join(", ", keys.Zip(items, (key, item) => $"\"{key}\": {item}"))}}}"));

    /// <summary>A value of the kind Segment gives the member, with some edge cases.</summary>
    private static Gen<string> Plausible(string key) => key switch
    {
        "type" => Gen.OneOf("\"track\"", "\"identify\"", "\"page\"", "\"screen\"", "\"group\"", "\"alias\"", "\"Track\""),
        "userId" or "anonymousId" or "previousId" or "messageId" or "groupId" =>
            Gen.OneOf(Gen.OneOf("\"u-1\"", "\" \"", "\"\"", "-1e3", "\"\\uD83D\\uDE00\""), Gen.Int[0, 999].Select(n => n.ToString(CultureInfo.InvariantCulture))),
        "event" or "name" or "category" => Gen.OneOf("\"Signed Up\"", "\"é中😀\"", $"\"{new string('e', 201)}\""),
        "timestamp" or "originalTimestamp" or "sentAt" => Timestamp,
        "properties" or "traits" => ObjectText(JsonText),
        "context" => Gen.OneOf(ObjectText(JsonText), ObjectText(JsonText).Select(traits => $"{{\"ip\": \"8.8.8.8\", \"traits\": {traits}}}")),
        "writeKey" => Gen.Const("\"wk_1\""),
        _ => JsonText,
    };

    /// <summary>A Segment-like message: distinct known members, each usually plausible and sometimes any JSON.</summary>
    private static readonly Gen<string> MessageText = Keys
        .Select(key => Gen.Frequency(
            (3, Gen.Const((string?)null)),
            (8, Plausible(key).Select(v => (string?)$"\"{key}\": {v}")),
            (1, JsonText.Select(v => (string?)$"\"{key}\": {v}"))))
        .Aggregate(Gen.Const(""), (message, member) => Gen.Select(message, member, (m, x) => x is null ? m : m.Length == 0 ? x : $"{m}, {x}"))
        .Select(members => $"{{{members}}}");

    private const string SegmentAnalyticsNodeBatch = """
        {"batch": [
          {"type": "identify", "userId": "user-42", "traits": {"email": "ada@example.com", "name": "Ada Lovelace"},
           "messageId": "node-next-1746100798123-3f0c2a91-9b8e-4c7d-a1f2-6e5d4c3b2a19", "timestamp": "2025-05-01T11:59:58.123Z",
           "_metadata": {"nodeVersion": "22.14.0", "jsRuntime": "node"},
           "context": {"library": {"name": "@segment/analytics-node", "version": "2.2.1"}}, "integrations": {}},
          {"type": "track", "event": "Order Completed", "userId": "user-42",
           "properties": {"orderId": "o-1", "revenue": 14.99, "currency": "USD"},
           "messageId": "node-next-1746100798456-7c1d9e2b-0a3f-4b5c-8d6e-1f2a3b4c5d6e", "timestamp": "2025-05-01T11:59:58.456Z",
           "_metadata": {"nodeVersion": "22.14.0", "jsRuntime": "node"},
           "context": {"library": {"name": "@segment/analytics-node", "version": "2.2.1"}}, "integrations": {}},
          {"type": "page", "name": "Install", "category": "Docs", "userId": "user-42",
           "properties": {"category": "Docs", "url": "https://example.com/docs"},
           "messageId": "node-next-1746100798789-2e4f6a8b-1c3d-4e5f-9a7b-0c1d2e3f4a5b", "timestamp": "2025-05-01T11:59:58.789Z",
           "_metadata": {"nodeVersion": "22.14.0", "jsRuntime": "node"},
           "context": {"library": {"name": "@segment/analytics-node", "version": "2.2.1"}}, "integrations": {}},
          {"type": "alias", "userId": "user-42", "previousId": "anon-7",
           "messageId": "node-next-1746100798901-9f8e7d6c-5b4a-4321-8fed-cba987654321", "timestamp": "2025-05-01T11:59:58.901Z",
           "_metadata": {"nodeVersion": "22.14.0", "jsRuntime": "node"},
           "context": {"library": {"name": "@segment/analytics-node", "version": "2.2.1"}}, "integrations": {}}
        ],
        "sentAt": "2025-05-01T11:59:59.001Z"}
        """;

    /// <summary>As @rudderstack/rudder-sdk-node sends it: ids coerced to strings, identify traits copied into context.traits.</summary>
    private const string RudderStackNodeBatch = """
        {"batch": [
          {"userId": "user-42", "traits": {"email": "ada@example.com", "plan": "pro"},
           "context": {"traits": {"email": "ada@example.com", "plan": "pro"}, "library": {"name": "analytics-node", "version": "2.1.4"}},
           "type": "identify", "channel": "server", "_metadata": {"nodeVersion": "22.14.0"},
           "originalTimestamp": "2025-05-01T10:59:50.000Z", "messageId": "0f8e2c4a-1b3d-4e5f-a6b7-c8d9e0f1a2b3",
           "sentAt": "2025-05-01T10:59:55.000Z"},
          {"event": "Order Completed", "userId": "42", "properties": {"orderId": "o-1", "revenue": 14.99},
           "context": {"library": {"name": "analytics-node", "version": "2.1.4"}},
           "type": "track", "channel": "server", "_metadata": {"nodeVersion": "22.14.0"},
           "originalTimestamp": "2025-05-01T10:59:51.000Z", "messageId": "5bd7e1f4-6f1c-4b7e-9a4f-2d8c1e0b9a7c",
           "sentAt": "2025-05-01T10:59:55.000Z"}
        ],
        "timestamp": "2025-05-01T10:59:55.000Z",
        "sentAt": "2025-05-01T10:59:55.000Z"}
        """;
}
