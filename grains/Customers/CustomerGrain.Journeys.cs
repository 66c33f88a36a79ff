using System.Collections.Immutable;
using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Journeys;
using Waymark.Engine.Predicates;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Grains.Delivery;
using Waymark.Grains.Journeys;
using Waymark.Grains.Timers;
using Waymark.Model.Time;
using Waymark.Storage.Counts;
using Waymark.Storage.Segments;
using CustomerEvent = Waymark.GrainInterfaces.Customers.CustomerEvent;
using EngineEvent = Waymark.Engine.Predicates.CustomerEvent;

namespace Waymark.Grains.Customers;

/// <summary>
/// The runtime side: the customer carries out its own runs. Each round of steps (an event, a wake-up, an
/// enrolment) is decided by the pure <see cref="JourneyStep"/>, then committed in one log append with its
/// timeline items, its wake-ups and the resulting state, so a crash loses a whole round or nothing. Sends are
/// recorded with their message id in that append together with a wake-up due at once: the timer wheel, not
/// the call that decided them, hands them to their channels, so ingestion never waits on a channel. The
/// wake-up's row stays until the answers are recorded, or until a later wake-up stands in for it while a slow
/// channel answers, so a crash in between dispatches again, with the same ids.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The wake-up tag that dispatches the sends waiting for their channel's answer.</summary>
    private const string OutboxTag = "outbox";

    /// <summary>The status of a <c>message</c> item whose send a sending rule held back (api.md §2).</summary>
    private const string SuppressedStatus = "suppressed";

    /// <summary>How often a run held by a pause checks whether its journey resumed (or was archived).</summary>
    private static readonly TimeSpan PausedRecheck = TimeSpan.FromMinutes(1);

    /// <summary>History predicates read at most this far back when they name no window (canvas.md: at least 400 days).</summary>
    private static readonly TimeSpan AllHistory = TimeSpan.FromDays(400);

    private CustomerJourneys Journeys => State.Journeys;

    public async Task WakeUp(DateTimeOffset due, string tag)
    {
        if (State.MergedInto is not null)
        {
            return;
        }

        if (tag == OutboxTag)
        {
            await Dispatch();
            return;
        }

        if (tag == SegmentsTag)
        {
            State.Segments.WakeAt = null;
            await EvaluateSegments(backfill: false);
            return;
        }

        if (Journeys.Runs.Find(r => r.EntryId == tag) is not { } run || await Published(run.JourneyId, run.Version) is not { } journey)
        {
            return; // stale: the run moved on or ended since this wake-up was scheduled
        }

        var mode = await ModeOf(run.JourneyId);
        var round = new Round(Now());
        StepInput input = new WokeUp();
        if (run.Hold == RunHold.Paused && mode == JourneyMode.Active)
        {
            input = new JourneyChanged(mode);
        }
        else if (run.Hold == RunHold.Experiment)
        {
            var experiment = DefinitionKeys.Experiment(workspace, run.JourneyId, run.Version, run.Node);
            await experiments.ArriveAsync(experiment, round.Now.ToDateTimeOffset());
            if (await experiments.WinnerAsync(experiment) is not { } winner)
            {
                // Decided a little after the test period, once its counts are in: look again shortly.
                await Commit([], [WakeUps.Entry(this.GetGrainId(), (round.Now + Duration.FromTimeSpan(ExperimentGrain.Settling)).ToDateTimeOffset(), run.EntryId, timerWheel.Value.Shards)]);
                return;
            }

            input = new ExperimentDecided(run.Node, winner);
        }

        await Step(round, journey, mode, run, input);
        await Finish(round);
        await EvaluateSegmentsIfChanged(); // an update node changed the profile
    }

    public async Task<EnrollStatus> Enroll(string journeyId, string requestId)
    {
        if (State.MergedInto is { } survivor)
        {
            return await (await Forward(survivor)).Enroll(journeyId, requestId);
        }

        var round = new Round(Now());
        var summary = (await directory.GetAsync(workspace)).Find(journeyId);
        var entered = summary is not null && await TryEnter(round, summary, new ApiEnrolled(), requestId);
        await Finish(round);
        await EvaluateSegmentsIfChanged();
        return entered ? EnrollStatus.Enrolled : EnrollStatus.NotEligible;
    }

    public async Task<EnrollStatus> EnrollMember(string journeyId, string segment, string firingId, bool existingMember)
    {
        if (State.MergedInto is not null)
        {
            return EnrollStatus.NotEligible; // the survivor is a member in its own right, and the firing reaches it too
        }

        var round = new Round(Now());
        var summary = (await directory.GetAsync(workspace)).Find(journeyId);
        TriggerInput trigger = existingMember ? new MemberAtPublication(segment) : new ScheduleFired(segment);
        var entered = summary is not null && await TryEnter(round, summary, trigger, firingId);
        await Finish(round);
        await EvaluateSegmentsIfChanged();
        return entered ? EnrollStatus.Enrolled : EnrollStatus.NotEligible;
    }

    /// <summary>Acts on events just committed: runs see them first (exit criteria, waitEvent), then ended runs' goals, then triggers.</summary>
    private async Task ActOn(IReadOnlyList<CustomerEvent> events)
    {
        var round = new Round(Now());
        foreach (var e in events.Where(e => e.Name is not null))
        {
            var observed = Observed(e);
            var receivedAt = Instant.FromDateTimeOffset(e.ReceivedAt);
            foreach (var run in round.CurrentRuns(Journeys).ToList())
            {
                if (await Published(run.JourneyId, run.Version) is { } journey)
                {
                    await Step(round, journey, await ModeOf(run.JourneyId), run, new EventArrived(observed, receivedAt));
                }
            }

            foreach (var watch in Journeys.Goals.Where(g => !round.Converted.Contains(g.EntryId)).ToList())
            {
                if (await Published(watch.JourneyId, watch.Version) is { } journey
                    && GoalCheck.Check(journey.Definition, watch, observed, receivedAt, await Facts(round, journey), round.Now) is { } goal)
                {
                    round.Converted.Add(watch.EntryId);
                    round.Item(LogKinds.Goal, GoalItem(watch.JourneyId, watch.EntryId, goal));
                    round.Count(watch.JourneyId, watch.Version, [goal]);
                }
            }

            foreach (var summary in (await directory.GetAsync(workspace)).TriggeredBy(e.Name!))
            {
                await TryEnter(round, summary, new EventTriggered(observed, receivedAt), e.MessageId);
            }
        }

        await Finish(round);
    }

    /// <summary>Enters the customer when the journey's rules and audience limit allow; false when they do not.</summary>
    private async Task<bool> TryEnter(Round round, JourneySummary summary, TriggerInput trigger, string triggerId)
    {
        if (summary.ActiveVersion is not { } version || await Published(summary.Id, version) is not { } journey)
        {
            return false;
        }

        var entryId = JourneyEntry.EntryId(key, summary.Id, triggerId);
        if (round.Knows(entryId) || Journeys.Runs.Exists(r => r.EntryId == entryId) || Journeys.Entries.GetValueOrDefault(summary.Id)?.LastEntryId == entryId)
        {
            return false; // the same trigger again (a retried request or firing, a replayed event), even after its run ended
        }

        var mode = Mode(summary.Status);
        var verdict = JourneyEntry.Check(journey.Definition, mode, round.HistoryOf(Journeys, summary.Id), trigger, await Facts(round, journey), round.Now);
        if (verdict != EntryVerdict.Eligible
            || (journey.Definition.Entry.Limit is { } limit
                && !await GrainFactory.GetGrain<IJourneyLimitGrain>(DefinitionKeys.Of(workspace, summary.Id)).TryTake(limit, entryId)))
        {
            return false;
        }

        var run = JourneyEntry.Start(summary.Id, journey.Definition, version, entryId, trigger, round.Now);
        round.Enter(run);
        await Step(round, journey, mode, run, new Entered(run));
        return true;
    }

    /// <summary>One step of one run, its decisions turned into timeline items, wake-ups, sends and profile changes.</summary>
    private async Task Step(Round round, PublishedJourney journey, JourneyMode mode, JourneyRun run, StepInput input)
    {
        var context = new StepContext(
            journey.Definition, mode, key, await Facts(round, journey), await experiments.WinnersAsync(workspace, journey), round.Now, journey.Templates,
            await Delivery(round));
        // Whatever happens to a run of an archived journey, it learns that first (and ends).
        var result = JourneyStep.Advance(run, mode == JourneyMode.Archived ? new JourneyChanged(mode) : input, context);
        if (result.Decisions.Count == 0 && Equals(result.Run, run))
        {
            return; // a stale wake-up, an event the run does not wait for
        }

        foreach (var decision in result.Decisions)
        {
            switch (decision)
            {
                case RunEntered entered:
                    round.Item(LogKinds.Entered, new JsonObject
                    {
                        ["journey"] = run.JourneyId, ["version"] = run.Version, ["entryId"] = run.EntryId, ["node"] = entered.Node,
                    });
                    break;
                case Moved moved:
                    round.Item(LogKinds.Moved, new JsonObject
                    {
                        ["journey"] = run.JourneyId, ["entryId"] = run.EntryId, ["from"] = moved.From, ["to"] = moved.To, ["reason"] = moved.Reason,
                    });
                    break;
                case Waiting { Due: { } due }:
                    round.Timers.Add(WakeUps.Entry(this.GetGrainId(), due.ToDateTimeOffset(), run.EntryId, timerWheel.Value.Shards));
                    break;
                case Held { Why: RunHold.Paused }:
                    // Nobody tells a paused run that its journey resumed: it looks again now and then.
                    round.Timers.Add(WakeUps.Entry(this.GetGrainId(), (round.Now + Duration.FromTimeSpan(PausedRecheck)).ToDateTimeOffset(), run.EntryId, timerWheel.Value.Shards));
                    break;
                case Held { Why: RunHold.Experiment, Node: var node }:
                    // Outside the test group: woken when the test period is over, to get the winner.
                    if (await experiments.ArriveAsync(DefinitionKeys.Experiment(workspace, run.JourneyId, run.Version, node), round.Now.ToDateTimeOffset()) is { EndsAt: { } endsAt })
                    {
                        round.Timers.Add(WakeUps.Entry(this.GetGrainId(), endsAt + ExperimentGrain.Settling, run.EntryId, timerWheel.Value.Shards));
                    }

                    break;
                case SendMessage send:
                    if (send.Variant is not null && journey.Experiments.Contains(send.Node) && !context.ExperimentWinners.ContainsKey(send.Node))
                    {
                        await experiments.ArriveAsync(DefinitionKeys.Experiment(workspace, run.JourneyId, run.Version, send.Node), round.Now.ToDateTimeOffset());
                    }

                    round.Sends.Add(await Render(journey, run, send, round.Now));
                    break;
                case MessageSuppressed suppressed:
                    round.Item(LogKinds.Message, SuppressedItem(run, suppressed.Node, suppressed.MessageId, suppressed.Channel, suppressed.Reason, until: null), suppressed.MessageId);
                    round.CountMessage(run.JourneyId, run.Version, JourneyCounters.Suppressed(suppressed.Node, variant: null, suppressed.Reason));
                    break;
                case MessageDeferred deferred:
                    // The Waiting that follows schedules the wake-up at the end of quiet hours, which runs the rules again.
                    round.Item(LogKinds.Message, SuppressedItem(run, deferred.Node, deferred.MessageId, deferred.Channel, SuppressionReasons.QuietHours, deferred.Until), deferred.MessageId);
                    round.CountMessage(run.JourneyId, run.Version, JourneyCounters.Suppressed(deferred.Node, variant: null, SuppressionReasons.QuietHours));
                    break;
                case UpdateProfile update:
                    round.Update(update);
                    break;
                case GoalReached goal:
                    round.Item(LogKinds.Goal, GoalItem(run.JourneyId, run.EntryId, goal));
                    break;
                case Exited exited:
                    round.Watches[run.EntryId] = result.GoalWatch;
                    round.Item(LogKinds.Exited, ExitItem(run, exited));
                    break;
            }
        }

        round.Count(run.JourneyId, run.Version, result.Decisions);
        round.Set(run.JourneyId, run.EntryId, result.Run);
    }

    /// <summary>
    /// Takes over the journeys of a profile merged in this round (the customer holds them once the merge entry is
    /// applied): their waits and unsent messages wake this customer from now on, and of two runs that may not run
    /// side by side the younger ends (<see cref="MergedRuns"/>).
    /// </summary>
    private async Task AdoptJourneys(Round round, CustomerJourneys merged)
    {
        foreach (var run in merged.Runs)
        {
            if (run.Due is { } due)
            {
                round.Timers.Add(WakeUps.Entry(this.GetGrainId(), due.ToDateTimeOffset(), run.EntryId, timerWheel.Value.Shards));
            }

            if (run.Hold == RunHold.Paused)
            {
                round.Timers.Add(WakeUps.Entry(this.GetGrainId(), (round.Now + Duration.FromTimeSpan(PausedRecheck)).ToDateTimeOffset(), run.EntryId, timerWheel.Value.Shards));
            }
        }

        if (merged.Outbox.Count > 0)
        {
            round.Timers.Add(OutboxWakeUp(round.Now.ToDateTimeOffset()));
        }

        round.Adopt(merged.Runs);
        var runs = round.CurrentRuns(Journeys).ToList();
        var reentries = new Dictionary<(string JourneyId, int Version), Reentry?>();
        foreach (var run in runs.GroupBy(r => r.JourneyId, StringComparer.Ordinal).Where(j => j.Count() > 1).SelectMany(j => j))
        {
            reentries[(run.JourneyId, run.Version)] = (await Published(run.JourneyId, run.Version))?.Definition.Entry.Reentry;
        }

        foreach (var (run, exit) in MergedRuns.Ended(runs, r => reentries.GetValueOrDefault((r.JourneyId, r.Version))))
        {
            round.Item(LogKinds.Exited, ExitItem(run, exit));
            round.Count(run.JourneyId, run.Version, [exit]);
            round.Set(run.JourneyId, run.EntryId, null);
        }
    }

    /// <summary>Commits a round in one append, with the segment member rows it changed; a round that decided nothing writes nothing.</summary>
    private async Task Finish(Round round, IReadOnlyList<MembershipChange>? memberships = null)
    {
        if (round.IsEmpty)
        {
            // Acted on: a later activation need not look at these events again (kept with the next snapshot).
            Journeys.HandledSeq = State.Seq;
            return;
        }

        if (round.Sends.Count > 0)
        {
            round.Timers.Add(OutboxWakeUp(round.Now.ToDateTimeOffset()));
        }

        var entries = round.ChangesRuntime
            ? [.. round.Entries, new PendingEntry(LogKinds.Runtime, null, round.Now.ToDateTimeOffset(), LogKinds.Serialize(round.Record(State.Seq)))]
            : round.Entries;
        await Commit(entries, round.Timers, round.CountDeltas(workspace), memberships);
    }

    /// <summary>Events written but not acted on before a crash (or an idle deactivation of a round that decided nothing) are acted on now.</summary>
    private async Task CatchUpJourneys(IReadOnlyList<Storage.CustomerLog.LogEntry> replayed)
    {
        if (State.MergedInto is not null || Journeys.HandledSeq >= State.Seq)
        {
            return;
        }

        var entries = replayed.Count > 0 && replayed[0].Seq <= Journeys.HandledSeq + 1
            ? replayed
            : await log.ReadAfterAsync(workspace, key, Journeys.HandledSeq);
        var events = entries.Where(e => e.Seq > Journeys.HandledSeq && e.Kind == LogKinds.Event)
            .Select(e => LogKinds.Deserialize<CustomerEvent>(e.Payload)).ToList();
        await ActOn(events);
    }

    /// <summary>The message as the customer gets it: rendered now, with the event current at the send and the run's trigger.</summary>
    private async Task<PendingSend> Render(PublishedJourney journey, JourneyRun run, SendMessage send, Instant now)
    {
        var variables = new TemplateVariables
        {
            CustomerId = Profile.UserId ?? Profile.AnonymousIds.FirstOrDefault() ?? CustomerKeys.PublicId(key),
            Traits = Profile.Traits,
            Tags = Profile.Tags,
            EventName = send.CurrentEvent?.Name,
            EventProperties = send.CurrentEvent?.Properties,
            TriggerProperties = run.TriggerProperties,
            JourneyId = run.JourneyId,
            JourneyName = journey.Definition.Name,
            MessageId = send.MessageId,
            MessageVariant = send.Variant,
        };

        var rendered = await trackingLinks.ResolveAsync(TemplateRenderer.Render(send.Template, variables, new LinkPlaceholders()), workspace, key, send.MessageId);
        return new PendingSend(
            send.MessageId, run.JourneyId, run.Version, run.EntryId, send.Node, send.Channel, send.Variant,
            rendered.Fields, rendered.Payload?.ToJsonString(), now.ToDateTimeOffset(), DeliveryAddress.Of(Profile, send.Channel), send.Category);
    }

    private Task<CustomerFacts> Facts(Round round, PublishedJourney journey) => Facts(journey.History, round.Now);

    /// <summary>What predicates read of this customer now, with the events of the names and windows they count (<see cref="EventCache"/>).</summary>
    private async Task<CustomerFacts> Facts(IReadOnlyDictionary<string, TimeSpan?> history, Instant now)
    {
        foreach (var (name, within) in history)
        {
            var from = now - Duration.FromTimeSpan(within ?? AllHistory);
            if (!events.Covers(name, from))
            {
                var entries = await log.ReadWindowAsync(workspace, [key, .. Profile.MergedFrom], name, from.ToDateTimeOffset(), (now + Duration.FromTicks(10)).ToDateTimeOffset());
                events.Load(name, from, entries.Select(e => Observed(LogKinds.Deserialize<CustomerEvent>(e.Payload))));
            }
        }

        var settings = await workspaceSettings.GetAsync(workspace);
        var zone = TimeZones.Find(Profile.Timezone) ?? TimeZones.Find(settings.Timezone) ?? DateTimeZone.Utc;
        return new CustomerFacts(
            Profile.Traits,
            Profile.Tags,
            State.Segments.Members.Keys.ToHashSet(StringComparer.Ordinal),
            Profile.LastSeen is { } seen ? Instant.FromDateTimeOffset(seen) : null,
            zone,
            State.Segments.RfmClass,
            events.History());
    }

    /// <summary>
    /// What the sending rules read of this customer now: its subscriptions and addresses (as <see cref="DeliveryAddress"/>
    /// finds them for the channel), the capped messages counting toward the cap, and the workspace's cap and quiet hours.
    /// </summary>
    private async Task<DeliveryFacts> Delivery(Round round)
    {
        var settings = await workspaceSettings.GetAsync(workspace);
        var cap = settings.FrequencyCap is { } c ? new SendCap(c.Count, Duration.FromTimeSpan(c.Window)) : null;

        // Older sends are beyond every window the rules look at now (with no cap, beyond the default one, should it return).
        Journeys.ForgetMarketingSendsBefore((round.Now - (cap?.Window ?? Duration.FromTimeSpan(GrainInterfaces.Workspaces.WorkspaceSettings.Defaults.FrequencyCap!.Window))).ToDateTimeOffset());

        // Capped messages decided but not yet answered count too: the outbox (a channel answers within a poll or so of
        // the wheel, or is retrying) and this round's sends (other runs stepped before this one). Counting only answered
        // sends would let every message decided before the first answer through — two journeys triggered by one event,
        // or a run's sends in one round, could each take the last place under the cap. Counting them errs the other way
        // only when one of them then fails: a message is suppressed that, in hindsight, had room. The cap promises the
        // customer at most so many messages, so this side is the right one to err on.
        var decided = Journeys.Outbox.Values.Concat(round.Sends)
            .Where(s => SendingRules.CountsTowardCap(s.Channel, s.Category))
            .Select(s => Instant.FromDateTimeOffset(s.DecidedAt));
        return new DeliveryFacts(
            Enum.GetValues<Channel>().Where(channel => !Profile.IsSubscribed(ChannelFields.NameOf(channel))).ToImmutableHashSet(),
            Enum.GetValues<Channel>().Where(channel => DeliveryAddress.Of(Profile, channel) is not null).ToImmutableHashSet(),
            [.. Journeys.MarketingSends.Select(Instant.FromDateTimeOffset).Concat(decided)],
            cap,
            settings.QuietHours is { } quiet ? new QuietWindow(LocalTime.FromTimeOnly(quiet.Start), LocalTime.FromTimeOnly(quiet.End)) : null);
    }

    private Task<PublishedJourney?> Published(string journeyId, int version) => versions.GetAsync(workspace, journeyId, version);

    private async Task<JourneyMode> ModeOf(string journeyId) =>
        (await directory.GetAsync(workspace)).Find(journeyId) is { } summary ? Mode(summary.Status) : JourneyMode.Archived;

    private static JourneyMode Mode(JourneyStatus status) => status switch
    {
        JourneyStatus.Active => JourneyMode.Active,
        JourneyStatus.Paused => JourneyMode.Paused,
        _ => JourneyMode.Archived,
    };

    private Instant Now() => Instant.FromDateTimeOffset(clock.GetUtcNow());

    /// <summary>An event as predicates and runs read it: its time capped at receipt, its properties as JSON.</summary>
    private static EngineEvent Observed(CustomerEvent e) => new(
        e.Name ?? "",
        Instant.FromDateTimeOffset(e.Timestamp < e.ReceivedAt ? e.Timestamp : e.ReceivedAt),
        e.Properties is null ? [] : JsonNode.Parse(e.Properties) as JsonObject ?? []);

    private static JsonObject ExitItem(JourneyRun run, Exited exited) => new()
    {
        ["journey"] = run.JourneyId, ["entryId"] = run.EntryId, ["node"] = exited.Node, ["reason"] = exited.Reason,
    };

    /// <summary>
    /// The timeline item of a send a rule held back: a <c>message</c> item like a channel's answer (<see cref="MessageRecord"/>),
    /// with status <c>suppressed</c> and the rule's reason; for quiet hours also <c>until</c>, when the rules run again (the
    /// message, if then sent, keeps its id).
    /// </summary>
    private static JsonObject SuppressedItem(JourneyRun run, string node, string messageId, Channel channel, string reason, Instant? until)
    {
        var item = new JsonObject
        {
            ["journey"] = run.JourneyId, ["version"] = run.Version, ["entryId"] = run.EntryId, ["node"] = node, ["messageId"] = messageId,
            ["channel"] = ChannelFields.NameOf(channel), ["variant"] = null, ["status"] = SuppressedStatus, ["reason"] = reason,
        };
        if (until is { } at)
        {
            item["until"] = at.ToDateTimeOffset();
        }

        return item;
    }

    private static JsonObject GoalItem(string journeyId, string entryId, GoalReached goal) => new()
    {
        ["journey"] = journeyId, ["entryId"] = entryId, ["node"] = goal.Node, ["branch"] = goal.Branch, ["variant"] = goal.Variant,
    };
}
