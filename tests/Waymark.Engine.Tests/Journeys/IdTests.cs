using System.Text.RegularExpressions;
using Waymark.Engine.Journeys;

namespace Waymark.Engine.Tests.Journeys;

public sealed partial class IdTests
{
    [Fact]
    public void Entry_ids_are_short_url_safe_and_the_same_for_the_same_trigger()
    {
        var id = JourneyEntry.EntryId("u-42", "unpaid", "msg-1");

        Assert.Matches(UrlSafe26(), id);
        Assert.Equal(id, JourneyEntry.EntryId("u-42", "unpaid", "msg-1"));
        Assert.NotEqual(id, JourneyEntry.EntryId("u-42", "unpaid", "msg-2"));
        Assert.NotEqual(id, JourneyEntry.EntryId("u-43", "unpaid", "msg-1"));
        Assert.NotEqual(id, JourneyEntry.EntryId("u-42", "unpaid-2", "msg-1"));
    }

    [Fact]
    public void Message_ids_are_short_url_safe_and_derived_from_journey_entry_and_node()
    {
        var id = MessageIds.For("unpaid", "entry-1", "remind");

        Assert.Matches(UrlSafe26(), id);
        Assert.Equal(id, MessageIds.For("unpaid", "entry-1", "remind"));
        Assert.Equal(id, MessageIds.For("unpaid", "entry-1", "remind", 0));
        Assert.NotEqual(id, MessageIds.For("unpaid", "entry-1", "remind", 1));
        Assert.NotEqual(id, MessageIds.For("unpaid", "entry-1", "coupon"));
        Assert.NotEqual(id, MessageIds.For("unpaid", "entry-2", "remind"));
    }

    [Fact]
    public void Ids_tell_their_parts_apart_where_joined_text_would_not()
    {
        Assert.NotEqual(MessageIds.For("a-b", "c", "d"), MessageIds.For("a", "b-c", "d"));
        Assert.NotEqual(JourneyEntry.EntryId("ab", "c", "d"), JourneyEntry.EntryId("a", "bc", "d"));
        Assert.NotEqual(JourneyEntry.EntryId("x", "y", "z"), MessageIds.For("x", "y", "z"));
    }

    [Fact]
    public void Ids_are_pinned_so_a_new_release_gives_a_replayed_step_the_same_id()
    {
        // Checked against an independent implementation: Crockford base 32 of the first 130 bits of SHA-256
        // over the length-prefixed UTF-8 parts ("entry" or "message" first).
        Assert.Equal("xj5mrpprvzp6cxc4wymeqb9c36", JourneyEntry.EntryId("u-42", "unpaid", "msg-1"));
        Assert.Equal("vcxnx4mzbp3hbh02mefppr3vv2", MessageIds.For("unpaid", "entry-1", "remind"));
    }

    [GeneratedRegex("^[0-9a-z]{26}$")]
    private static partial Regex UrlSafe26();
}
