using System.Collections.Immutable;
using Waymark.GrainInterfaces.Inbox;

namespace Waymark.Grains.Delivery;

/// <summary>
/// An inbox: its messages oldest first by sent time, at most <see cref="InboxKeys.Capacity"/>. Every change
/// rewrites the whole list, which stays small because of that bound.
/// </summary>
public sealed class InboxGrain(
    [PersistentState(GrainStorage.StateNames.Inbox, GrainStorage.ProviderName)]
    IPersistentState<InboxState> state) : Grain, IInboxGrain
{
    private List<InboxItem> Items => state.State.Items;

    public async Task<bool> Deliver(InboxMessage message)
    {
        if (Items.Exists(i => i.Message.Id == message.Id))
        {
            return false;
        }

        // After every message sent at the same time or earlier, so equal times list in arrival order.
        var at = Items.FindLastIndex(i => i.Message.SentAt <= message.SentAt) + 1;
        if (at == 0 && Items.Count >= InboxKeys.Capacity)
        {
            // It would be the first to drop; skipping it also keeps a late redelivery of a dropped message from coming back.
            return true;
        }

        Items.Insert(at, new InboxItem(message, Read: false));
        if (Items.Count > InboxKeys.Capacity)
        {
            Items.RemoveRange(0, Items.Count - InboxKeys.Capacity);
        }

        await state.WriteStateAsync();
        return true;
    }

    public Task<ImmutableArray<InboxItem>> List() => Task.FromResult(Items.AsEnumerable().Reverse().ToImmutableArray());

    public async Task<bool> MarkRead(string messageId)
    {
        var index = Items.FindIndex(i => i.Message.Id == messageId);
        if (index < 0)
        {
            return false;
        }

        if (!Items[index].Read)
        {
            Items[index] = Items[index] with { Read = true };
            await state.WriteStateAsync();
        }

        return true;
    }
}

/// <summary>The stored inbox, oldest message first.</summary>
public sealed class InboxState
{
    public List<InboxItem> Items { get; set; } = [];
}
