using System.Collections.Immutable;
using Waymark.Definitions.Templates;
using Waymark.Grains.Delivery;
using Waymark.Grains.Journeys;
using Waymark.Grains.Timers;
using Waymark.Storage.Counts;
using Waymark.Storage.Timers;

namespace Waymark.Grains.Customers;

/// <summary>
/// The outbox: sends the runtime recorded, handed to their channels when the timer wheel wakes the customer for them,
/// each with its message id every time, and their answers recorded in one append. A channel that answers slowly does
/// not hold the customer: its answers are recorded in a turn of their own, while the customer goes on with its events.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The longest a dispatch waits in the call for a send's slot under its channel's rate limit; a later slot is a durable wake-up.</summary>
    private static readonly TimeSpan MaxSlotWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a dispatch holds the customer's turn for its channels' answers: most receivers answer within it, and
    /// their answers are recorded in the dispatch's own append. Slower ones are recorded when they come, in a turn of
    /// their own, so a slow or refusing receiver delays this customer's events by at most this much.
    /// </summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// While sends are with their channels past <see cref="AnswerWait"/>, a durable wake-up this long ahead dispatches
    /// them again (same ids) should this activation die before their answers are recorded. It is longer than any
    /// channel takes to answer (<see cref="HttpDeliveryPipeline.TotalTimeout"/>, <see cref="EmailChannel.DispatchTimeout"/>),
    /// and the activation is kept alive as long, so while it lives the wake-up finds them answered or still in flight.
    /// </summary>
    private static readonly TimeSpan Unanswered = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Sends of the outbox that must not go before a time: a redelivery's (after a <c>Retry</c>) or a rate-limit slot's
    /// (<see cref="Hold.Slotted"/>: the slot is taken, and the send goes at it without queueing again). Kept in memory
    /// only: the wake-up for that time is durable, and after a restart a send held here simply goes at the next wake-up
    /// (a redelivery a little early, a paced send taking a new slot).
    /// </summary>
    private readonly Dictionary<string, Hold> holds = new(StringComparer.Ordinal);

    /// <summary>Message ids with their channels now, whose answers are not recorded yet: no other dispatch sends them.</summary>
    private readonly HashSet<string> inFlight = new(StringComparer.Ordinal);

    /// <summary>Hands every recorded, unanswered send that is due to its channel (same message id every time) and records the answers.</summary>
    private async Task Dispatch()
    {
        var now = clock.GetUtcNow();
        var batch = new List<Dispatching>();
        DateTimeOffset? heldUntil = null;
        foreach (var send in Journeys.Outbox.Values.Where(s => !inFlight.Contains(s.MessageId)).OrderBy(s => s.DecidedAt).ToList())
        {
            var hold = holds.GetValueOrDefault(send.MessageId);
            if (hold is { } held && held.NotBefore > now)
            {
                heldUntil = Earliest(heldUntil, held.NotBefore); // woken for another send: this one's time has not come
                continue;
            }

            var slot = hold is { Slotted: true } ? now : await sendSlots.TakeAsync(workspace, send.Channel, now);
            if (slot - now > MaxSlotWait)
            {
                holds[send.MessageId] = new Hold(slot, Slotted: true);
                heldUntil = Earliest(heldUntil, slot);
                continue;
            }

            holds.Remove(send.MessageId);
            inFlight.Add(send.MessageId);
            batch.Add(new Dispatching(send, slot, new OutgoingMessage(workspace, key, Profile.UserId ?? Profile.AnonymousIds.FirstOrDefault(),
                send.MessageId, send.JourneyId, send.Node, send.Channel, send.Variant,
                new RenderedContent(send.Fields.ToImmutableDictionary(), send.Payload), send.DecidedAt, send.Address)));
        }

        var answering = Deliver(batch); // already answered when nothing was due: then no timer is started
        if (answering.IsCompleted || await Task.WhenAny(answering, Task.Delay(AnswerWait)) == answering)
        {
            await Record(await answering, heldUntil);
            return;
        }

        // A slow channel: this turn ends, and the answers are recorded when they come. Meanwhile a durable wake-up stands
        // in for the one being removed, and this activation stays until the answers can have come.
        DelayDeactivation(Unanswered);
        await Commit([], OutboxWakeUps(heldUntil));
        _ = RecordWhenAnswered(answering);
    }

    /// <summary>
    /// Hands the sends to their channels one after another, each at its slot. It runs beside the customer's turns, so it
    /// reads nothing of the customer's state; a channel that throws is answered as a retry, so every send gets an answer.
    /// </summary>
    private async Task<List<Answered>> Deliver(List<Dispatching> batch)
    {
        var answers = new List<Answered>(batch.Count);
        foreach (var dispatching in batch)
        {
            if (dispatching.Slot - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            DispatchResult result;
            try
            {
                result = await channels.DispatchAsync(dispatching.Message, CancellationToken.None);
            }
            catch (Exception e)
            {
                result = DispatchResult.Retry($"the {ChannelFields.NameOf(dispatching.Send.Channel)} channel failed: {e.Message}");
            }

            answers.Add(new Answered(dispatching.Send, result, clock.GetUtcNow()));
        }

        return answers;
    }

    /// <summary>Records late answers in a turn of the customer's own (a grain timer's callback runs like a call).</summary>
    private async Task RecordWhenAnswered(Task<List<Answered>> answering)
    {
        var answers = await answering;
        IGrainTimer? recording = null;
        recording = this.RegisterGrainTimer(
            async () =>
            {
                recording!.Dispose(); // once
                await Record(answers, heldUntil: null);
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// Records the channels' answers in one append, with their counts and the outbox's next wake-ups. A send asked to
    /// wait is held for its redelivery; a send no longer in the outbox (its customer erased, or merged into another,
    /// whose outbox dispatches it again under the same id) is not recorded here.
    /// </summary>
    private async Task Record(List<Answered> answers, DateTimeOffset? heldUntil)
    {
        var entries = new List<PendingEntry>();
        var counts = new List<CountDelta>();
        foreach (var (send, answer, answeredAt) in answers)
        {
            inFlight.Remove(send.MessageId);
            if (State.MergedInto is not null || !Journeys.Outbox.ContainsKey(send.MessageId))
            {
                continue;
            }

            var result = answer;
            if (result.Status == DispatchStatus.Retry)
            {
                // Durable redelivery with backoff and jitter, for up to 24 h after the send was decided; then it fails. A
                // Retry-After counts from the answer, which a slow channel's late recording may follow by a while.
                if (RedeliverySchedule.Next(send.DecidedAt, answeredAt, result.RetryAfter, Random.Shared.NextDouble()) is { } at)
                {
                    holds[send.MessageId] = new Hold(at, Slotted: false);
                    heldUntil = Earliest(heldUntil, at);
                    continue;
                }

                result = DispatchResult.Failed(RedeliverySchedule.GaveUp(result.Reason));
            }

            var status = result.Status == DispatchStatus.Sent ? JourneyCounters.Sent : JourneyCounters.Failed;
            var record = new MessageRecord(send.JourneyId, send.Version, send.EntryId, send.Node, send.MessageId, ChannelFields.NameOf(send.Channel), send.Variant, status, result.Reason);
            entries.Add(new PendingEntry(LogKinds.Message, send.MessageId, clock.GetUtcNow(), LogKinds.Serialize(record)));
            counts.Add(new CountDelta(workspace, send.JourneyId, send.Version, JourneyCounters.Message(send.Node, send.Variant, status), 1, clock.GetUtcNow()));
        }

        await Commit(entries, OutboxWakeUps(heldUntil), counts);
    }

    /// <summary>
    /// The outbox's wake-ups after a dispatch: at the first held send's time, and while sends are with their channels,
    /// <see cref="Unanswered"/> ahead, so they go again should this activation die before their answers are recorded.
    /// </summary>
    private List<TimerEntry> OutboxWakeUps(DateTimeOffset? heldUntil)
    {
        var wakeUps = new List<TimerEntry>(2);
        if (heldUntil is { } due)
        {
            wakeUps.Add(OutboxWakeUp(due));
        }

        if (inFlight.Count > 0)
        {
            wakeUps.Add(OutboxWakeUp(clock.GetUtcNow() + Unanswered));
        }

        return wakeUps;
    }

    /// <summary>A wake-up of this customer's outbox at <paramref name="due"/>.</summary>
    private TimerEntry OutboxWakeUp(DateTimeOffset due) => WakeUps.Entry(this.GetGrainId(), due, OutboxTag, timerWheel.Value.Shards);

    private static DateTimeOffset Earliest(DateTimeOffset? earlier, DateTimeOffset at) => earlier is { } e && e < at ? e : at;

    /// <param name="NotBefore">When the send may go.</param>
    /// <param name="Slotted">Whether <paramref name="NotBefore"/> is a rate-limit slot already taken.</param>
    private readonly record struct Hold(DateTimeOffset NotBefore, bool Slotted);

    /// <summary>A send handed to its channel at <paramref name="Slot"/>, as <paramref name="Message"/>.</summary>
    private sealed record Dispatching(PendingSend Send, DateTimeOffset Slot, OutgoingMessage Message);

    /// <summary>A send's answer from its channel, which came at <paramref name="At"/>.</summary>
    private sealed record Answered(PendingSend Send, DispatchResult Result, DateTimeOffset At);
}
