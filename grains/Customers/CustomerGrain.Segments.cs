using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using Waymark.Engine.Predicates;
using Waymark.Engine.Segments;
using Waymark.Grains.Segments;
using Waymark.Grains.Timers;
using Waymark.Storage.Segments;

namespace Waymark.Grains.Customers;

/// <summary>
/// Real-time segment membership: the customer evaluates its workspace's segments whenever its data changed, and once
/// more at the instant a window can flip with no new data (a <c>segments</c> wake-up on the timer wheel), never by
/// anyone scanning customers. A change commits in one append with its timeline item, the segment's member row and what
/// it sets off: journeys triggered by entering or leaving the segment, and runs whose <c>exitWhen</c> names it. A
/// customer's first evaluation under a segment's current rule — a backfill, or a real-time evaluation that comes before
/// the backfill reached it — records the membership but sets nothing off (api.md §4: a backfill fires no <c>enter</c>).
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The wake-up tag that evaluates the segments again when a window flips.</summary>
    private const string SegmentsTag = "segments";

    /// <summary>Set by every entry that changes what segments read (events, profile changes, merges); cleared by an evaluation.</summary>
    private bool segmentFactsChanged;

    public async Task RefreshSegments(long generation)
    {
        if (State.MergedInto is not null || (Profile.IsEmpty && Profile.MergedFrom.Count == 0) || State.Segments.Generation >= generation)
        {
            return;
        }

        await EvaluateSegments(backfill: true, generation);
        if (Journeys.Runs.Count == 0 && Journeys.Outbox.Count == 0)
        {
            DeactivateOnIdle(); // a backfill visits every customer: it must not leave them all in memory
        }
    }

    /// <summary>Evaluates the segments when this call changed what they read (or a window flip is due).</summary>
    private async Task EvaluateSegmentsIfChanged()
    {
        if (segmentFactsChanged && State.MergedInto is null)
        {
            await EvaluateSegments(backfill: false);
        }
    }

    /// <param name="generation">The library generation the evaluation must see at least (a backfill's).</param>
    private async Task EvaluateSegments(bool backfill, long generation = 0)
    {
        segmentFactsChanged = false;
        var catalog = await segmentCatalog.GetAsync(workspace, generation);
        var segments = State.Segments;
        if (catalog.Segments.Count == 0 && segments.Members.Count == 0)
        {
            return;
        }

        var round = new Round(Now());
        var facts = await Facts(catalog.Set.HistoryWindows, round.Now);
        if (catalog.Set.ReadsRfm)
        {
            facts = await WithRfm(round, catalog.Set, facts);
        }

        var evaluation = SegmentEvaluation.Evaluate(catalog.Set, facts, round.Now);
        var memberships = new List<MembershipChange>();
        var crossed = new List<(string Segment, SegmentTransition On)>();
        foreach (var (id, segment) in catalog.Segments)
        {
            var was = segments.Members.TryGetValue(id, out var incarnation) && incarnation == segment.Incarnation;
            var isMember = evaluation.Segments.Contains(id);
            if (was == isMember)
            {
                continue;
            }

            var quiet = backfill || segment.Revision > segments.Generation;
            round.Entries.Add(SegmentEntry(new SegmentRecord(id, isMember ? SegmentRecord.Enter : SegmentRecord.Exit, segment.Incarnation, catalog.Generation, quiet), round));
            memberships.Add(new MembershipChange(workspace, id, key, isMember));
            if (!quiet)
            {
                crossed.Add((id, isMember ? SegmentTransition.Enter : SegmentTransition.Exit));
            }
        }

        // Memberships of segments deleted (or deleted and made again) since: dropped quietly; their member rows went with them.
        foreach (var (id, incarnation) in segments.Members.Where(m => !catalog.Segments.TryGetValue(m.Key, out var s) || s.Incarnation != m.Value).ToList())
        {
            round.Entries.Add(SegmentEntry(new SegmentRecord(id, SegmentRecord.Exit, incarnation, catalog.Generation, Backfill: true), round));
        }

        if (round.Entries.Count == 0 && segments.Generation < catalog.Generation)
        {
            // Nothing changed, but from now on a change of these segments is a real one: that must survive a restart.
            round.Entries.Add(new PendingEntry(LogKinds.SegmentsEvaluated, null, round.Now.ToDateTimeOffset(), LogKinds.Serialize(new SegmentsEvaluatedRecord(catalog.Generation))));
        }

        foreach (var (segment, on) in crossed)
        {
            await Cross(round, segment, on);
        }

        if (evaluation.NextChange is { } next && (segments.WakeAt is not { } scheduled || scheduled <= round.Now.ToDateTimeOffset() || next.ToDateTimeOffset() < scheduled))
        {
            round.Timers.Add(WakeUps.Entry(this.GetGrainId(), next.ToDateTimeOffset(), SegmentsTag, timerWheel.Value.Shards));
            segments.WakeAt = next.ToDateTimeOffset();
        }

        await Finish(round, memberships);
    }

    /// <summary>What entering or leaving a segment sets off: journeys it triggers, and the end of runs whose exitWhen names it.</summary>
    private async Task Cross(Round round, string segment, SegmentTransition on)
    {
        if (on == SegmentTransition.Exit)
        {
            foreach (var run in round.CurrentRuns(Journeys).ToList())
            {
                if (await Published(run.JourneyId, run.Version) is { } journey
                    && journey.Definition.ExitWhen.OfType<ExitOnSegmentExit>().Any(c => c.Segment == segment))
                {
                    await Step(round, journey, await ModeOf(run.JourneyId), run, new LeftSegment(segment));
                }
            }
        }

        foreach (var summary in (await directory.GetAsync(workspace)).TriggeredBySegment(segment))
        {
            await TryEnter(round, summary, new SegmentCrossed(segment, on), $"segment/{segment}/{(on == SegmentTransition.Enter ? "enter" : "exit")}/{round.Now.ToUnixTimeTicks()}");
        }
    }

    /// <summary>
    /// The facts with the customer's RFM class against the workspace means; a change of its share goes to the workspace
    /// sums in this round's append (<see cref="RfmSums"/>), with the record that remembers it.
    /// </summary>
    private async Task<CustomerFacts> WithRfm(Round round, SegmentSet set, CustomerFacts facts)
    {
        var score = RfmScore.Of(facts.History, round.Now, set.RfmWindow);
        var rfm = Rfm.Classify(score, await rfmSums.MeansAsync(workspace, round.Now));
        var contribution = RfmContribution.Of(score);
        if (contribution != State.Segments.Rfm || rfm != State.Segments.RfmClass)
        {
            foreach (var (subject, version, counter, delta) in RfmSums.Changes(RfmContribution.Delta(State.Segments.Rfm, contribution)))
            {
                round.Count(subject, version, counter, delta);
            }

            round.Entries.Add(new PendingEntry(LogKinds.Rfm, null, round.Now.ToDateTimeOffset(), LogKinds.Serialize(new RfmRecord(contribution, rfm))));
        }

        return facts with { Rfm = rfm };
    }

    private static PendingEntry SegmentEntry(SegmentRecord record, Round round) =>
        new(LogKinds.Segment, null, round.Now.ToDateTimeOffset(), LogKinds.Serialize(record));
}
