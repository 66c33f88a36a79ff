using Microsoft.Extensions.DependencyInjection;
using Waymark.GrainInterfaces.Inbox;
using Waymark.Gateway.Tests.Customers;

namespace Waymark.Gateway.Tests.Inbox;

/// <summary>The inbox grain's own rules: one message per id, the newest <see cref="InboxKeys.Capacity"/> kept.</summary>
public class InboxGrainTests(SingleNode node) : IClassFixture<SingleNode>
{
    private IInboxGrain NewInbox() =>
        node.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IInboxGrain>(InboxKeys.Grain("default", Segment.NewId("u")));

    private static InboxMessage Message(int minute) => new($"m-{minute}", $"Title {minute}", null, null, null, InboxApp.Monday.AddMinutes(minute));

    [Fact]
    public async Task Delivering_an_id_again_changes_nothing()
    {
        var inbox = NewInbox();

        Assert.True(await inbox.Deliver(Message(1)));
        Assert.True(await inbox.MarkRead("m-1"));
        Assert.False(await inbox.Deliver(Message(1) with { Title = "Changed" }));

        var item = Assert.Single(await inbox.List());
        Assert.Equal(new InboxItem(Message(1), Read: true), item);
    }

    [Fact]
    public async Task A_full_inbox_drops_its_oldest_messages()
    {
        var inbox = NewInbox();
        for (var minute = 0; minute < InboxKeys.Capacity + 5; minute++)
        {
            await inbox.Deliver(Message(minute));
        }

        var ids = (await inbox.List()).Select(i => i.Message.Id).ToList();

        Assert.Equal(InboxKeys.Capacity, ids.Count);
        Assert.Equal($"m-{InboxKeys.Capacity + 4}", ids[0]);
        Assert.Equal("m-5", ids[^1]);
    }

    [Fact]
    public async Task A_full_inbox_does_not_take_back_a_message_older_than_all_it_keeps()
    {
        var inbox = NewInbox();
        for (var minute = 1; minute <= InboxKeys.Capacity; minute++)
        {
            await inbox.Deliver(Message(minute));
        }

        // m-0 is what a late redelivery of a dropped message looks like: older than everything kept. A
        // message sent between the oldest two is kept in its place and pushes the oldest out.
        await inbox.Deliver(Message(0));
        await inbox.Deliver(Message(InboxKeys.Capacity + 1) with { SentAt = InboxApp.Monday.AddSeconds(90) });

        var ids = (await inbox.List()).Select(i => i.Message.Id).ToList();
        Assert.DoesNotContain("m-0", ids);
        Assert.DoesNotContain("m-1", ids);
        Assert.Equal("m-2", ids[^2]);
        Assert.Equal($"m-{InboxKeys.Capacity + 1}", ids[^1]);
    }

    [Fact]
    public async Task Marking_an_unknown_message_read_answers_false()
    {
        var inbox = NewInbox();
        await inbox.Deliver(Message(1));

        Assert.False(await inbox.MarkRead("m-2"));
        Assert.False(Assert.Single(await inbox.List()).Read);
    }
}
