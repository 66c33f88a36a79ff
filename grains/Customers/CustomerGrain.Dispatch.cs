using System.Collections.Immutable;
using Waymark.Definitions.Templates;
using Waymark.Grains.Delivery;
using Waymark.Grains.Journeys;
using Waymark.Grains.Timers;
using Waymark.Storage.Counts;

namespace Waymark.Grains.Customers;

/// <summary>
/// The outbox: sends the runtime recorded, handed to their channels when the timer wheel wakes the customer for them,
/// each with its message id every time, and their answers recorded in one append.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The longest a dispatch waits in the call for a send's slot under its channel's rate limit; a later slot is a durable wake-up.</summary>
    private static readonly TimeSpan MaxSlotWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sends of the outbox that must not go before a time: a redelivery's (after a <c>Retry</c>) or a rate-limit slot's
    /// (<see cref="Hold.Slotted"/>: the slot is taken, and the send goes at it without queueing again). Kept in memory
    /// only: the wake-up for that time is durable, and after a restart a send held here simply goes at the next wake-up
    /// (a redelivery a little early, a paced send taking a new slot).
    /// </summary>
    private readonly Dictionary<string, Hold> holds = new(StringComparer.Ordinal);

    /// <summary>Hands every recorded, unanswered send that is due to its channel (same message id every time) and records the answers.</summary>
    private async Task Dispatch()
    {
        var answers = new List<PendingEntry>();
        var counts = new List<CountDelta>();
        DateTimeOffset? wakeAt = null;
        foreach (var send in Journeys.Outbox.Values.OrderBy(s => s.DecidedAt).ToList())
        {
            var now = clock.GetUtcNow();
            var hold = holds.GetValueOrDefault(send.MessageId);
            if (hold is { } held && held.NotBefore > now)
            {
                wakeAt = Earliest(wakeAt, held.NotBefore); // woken for another send: this one's time has not come
                continue;
            }

            if (hold is not { Slotted: true } && await sendSlots.TakeAsync(workspace, send.Channel, now) is var slot && slot > now)
            {
                if (slot - now > MaxSlotWait)
                {
                    holds[send.MessageId] = new Hold(slot, Slotted: true);
                    wakeAt = Earliest(wakeAt, slot);
                    continue;
                }

                await Task.Delay(slot - now);
            }

            holds.Remove(send.MessageId);
            var result = await channels.DispatchAsync(
                new OutgoingMessage(workspace, key, Profile.UserId ?? Profile.AnonymousIds.FirstOrDefault(), send.MessageId, send.JourneyId, send.Node,
                    send.Channel, send.Variant, new RenderedContent(send.Fields.ToImmutableDictionary(), send.Payload), send.DecidedAt, send.Address),
                CancellationToken.None);
            if (result.Status == DispatchStatus.Retry)
            {
                // Durable redelivery with backoff and jitter, for up to 24 h after the send was decided; then it fails.
                if (RedeliverySchedule.Next(send.DecidedAt, clock.GetUtcNow(), result.RetryAfter, Random.Shared.NextDouble()) is { } at)
                {
                    holds[send.MessageId] = new Hold(at, Slotted: false);
                    wakeAt = Earliest(wakeAt, at);
                    continue;
                }

                result = DispatchResult.Failed(RedeliverySchedule.GaveUp(result.Reason));
            }

            var status = result.Status == DispatchStatus.Sent ? JourneyCounters.Sent : JourneyCounters.Failed;
            var record = new MessageRecord(send.JourneyId, send.Version, send.EntryId, send.Node, send.MessageId, ChannelFields.NameOf(send.Channel), send.Variant, status, result.Reason);
            answers.Add(new PendingEntry(LogKinds.Message, send.MessageId, clock.GetUtcNow(), LogKinds.Serialize(record)));
            counts.Add(new CountDelta(workspace, send.JourneyId, send.Version, JourneyCounters.Message(send.Node, send.Variant, status), 1, clock.GetUtcNow()));
        }

        // Every answer in one append, with its counts and the wake-up for the sends still waiting.
        await Commit(answers, wakeAt is { } due ? [WakeUps.Entry(this.GetGrainId(), due, OutboxTag, timerWheel.Value.Shards)] : null, counts);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? earlier, DateTimeOffset at) => earlier is { } e && e < at ? e : at;

    /// <param name="NotBefore">When the send may go.</param>
    /// <param name="Slotted">Whether <paramref name="NotBefore"/> is a rate-limit slot already taken.</param>
    private readonly record struct Hold(DateTimeOffset NotBefore, bool Slotted);
}
