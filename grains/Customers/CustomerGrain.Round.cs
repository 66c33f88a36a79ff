using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Engine.Journeys;
using Waymark.Grains.Journeys;
using Waymark.Storage.Counts;
using Waymark.Storage.Timers;

namespace Waymark.Grains.Customers;

public sealed partial class CustomerGrain
{
    /// <summary>
    /// What one round decided, gathered before anything is written: later steps of the round see the runs as
    /// earlier steps left them, and the whole round — its timeline items, the runs' new state, its wake-ups and
    /// its count changes — becomes one log append. Merges and ingestion gather their entries in a round too, so
    /// what a merge does to runs commits with the merge.
    /// </summary>
    private sealed class Round(Instant now)
    {
        private readonly Dictionary<string, (string JourneyId, JourneyRun? Run)> runs = new(StringComparer.Ordinal);
        private readonly HashSet<string> entered = new(StringComparer.Ordinal);
        private readonly List<JourneyRun> adopted = [];
        private readonly Dictionary<(string JourneyId, int Version, string Counter), long> counts = [];

        public Instant Now { get; } = now;

        public Dictionary<string, GoalWatch?> Watches { get; } = new(StringComparer.Ordinal);

        public List<PendingSend> Sends { get; } = [];

        public HashSet<string> Converted { get; } = new(StringComparer.Ordinal);

        /// <summary>Timeline items and profile changes, in decision order.</summary>
        public List<PendingEntry> Entries { get; } = [];

        public List<TimerEntry> Timers { get; } = [];

        public bool IsEmpty => runs.Count == 0 && Entries.Count == 0 && Converted.Count == 0 && Timers.Count == 0;

        /// <summary>Whether the round changed the runtime's state, which a <see cref="RuntimeRecord"/> then records.</summary>
        public bool ChangesRuntime => runs.Count > 0 || Sends.Count > 0 || Converted.Count > 0;

        public bool Knows(string entryId) => runs.ContainsKey(entryId);

        public void Enter(JourneyRun run)
        {
            entered.Add(run.EntryId);
            Set(run.JourneyId, run.EntryId, run);
        }

        public void Set(string journeyId, string entryId, JourneyRun? run) => runs[entryId] = (journeyId, run);

        /// <summary>Runs of a profile merged in this round: the customer holds them once the merge is applied.</summary>
        public void Adopt(IEnumerable<JourneyRun> merged) => adopted.AddRange(merged);

        /// <summary>The customer's runs as this round has left them so far.</summary>
        public IEnumerable<JourneyRun> CurrentRuns(CustomerJourneys journeys) =>
            journeys.Runs.Concat(adopted).Where(r => !runs.ContainsKey(r.EntryId)).Concat(runs.Values.Select(r => r.Run).OfType<JourneyRun>());

        /// <summary>Adds what <paramref name="decisions"/> of a run of <paramref name="journeyId"/>'s <paramref name="version"/> change in its counters.</summary>
        public void Count(string journeyId, int version, IEnumerable<Decision> decisions)
        {
            foreach (var (counter, delta) in JourneyCounters.Of(decisions))
            {
                Count(journeyId, version, counter, delta);
            }
        }

        /// <summary>Adds <paramref name="delta"/> to one counter (<see cref="JourneyCounters"/>) of the version.</summary>
        public void Count(string journeyId, int version, string counter, long delta = 1)
        {
            var key = (journeyId, version, counter);
            counts[key] = counts.GetValueOrDefault(key) + delta;
        }

        /// <summary>Adds one to a message counter of the version (<see cref="JourneyCounters.Message"/>, <see cref="JourneyCounters.Suppressed"/>).</summary>
        public void CountMessage(string journeyId, int version, string counter) => Count(journeyId, version, counter, 1);

        /// <summary>The round's count changes as rows of the append, stamped with the round's time.</summary>
        public List<CountDelta> CountDeltas(string workspace) =>
            [.. counts.Select(c => new CountDelta(workspace, c.Key.JourneyId, c.Key.Version, c.Key.Counter, c.Value, Now.ToDateTimeOffset()))];

        public EntryHistory HistoryOf(CustomerJourneys journeys, string journeyId)
        {
            var stored = journeys.HistoryOf(journeyId);
            var enteredNow = runs.Any(r => r.Value.JourneyId == journeyId && entered.Contains(r.Key));
            return new EntryHistory(
                CurrentRuns(journeys).Count(r => r.JourneyId == journeyId),
                enteredNow ? Now : stored.LastEntryAt,
                stored.EverEntered || enteredNow);
        }

        /// <summary>A timeline item; <paramref name="name"/> is the message id of a <c>message</c> item (<see cref="MessageRecord"/>).</summary>
        public void Item(string kind, JsonObject item, string? name = null) => Entries.Add(new PendingEntry(kind, name, Now.ToDateTimeOffset(), item.ToJsonString()));

        /// <summary>An update node's changes, as the profile edits the API makes.</summary>
        public void Update(UpdateProfile update)
        {
            if (update.SetTraits.Count > 0)
            {
                Entries.Add(Change(new ProfileChange(Traits: update.SetTraits)));
            }

            Entries.AddRange(update.AddTags.Select(tag => Change(new ProfileChange(Tag: tag, TagPresent: true))));
            Entries.AddRange(update.RemoveTags.Select(tag => Change(new ProfileChange(Tag: tag, TagPresent: false))));
        }

        public RuntimeRecord Record(long handledSeq) => new(
            [.. runs.Select(r => new RunChange(r.Value.JourneyId, r.Key, r.Value.Run, entered.Contains(r.Key), Watches.GetValueOrDefault(r.Key)))],
            Sends,
            [.. Converted],
            handledSeq);

        private PendingEntry Change(ProfileChange change) => new(LogKinds.Profile, null, Now.ToDateTimeOffset(), LogKinds.Serialize(change));
    }
}
