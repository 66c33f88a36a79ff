using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Engine.Journeys;
using Waymark.Engine.Predicates;
using Waymark.Model;

namespace Waymark.Engine.Tests.Journeys;

/// <summary>
/// Laws every step keeps, over generated canvases and random sequences of entries, time, events, pauses,
/// experiment decisions and merges: the node counts add up at every point, and a step replayed gives the
/// same decisions and the same run.
/// </summary>
public sealed class NodeCountProperties
{
    private static readonly Gen<Operation> Operations = Gen.Frequency(
        (3, from n in Gen.Int[0, 9] from at in JourneyGen.Timestamp select (Operation)new Enter(n, at)),
        (4, Gen.Int[1, 60 * 24 * 3].Select(minutes => (Operation)new PassTime(minutes))),
        (4, from name in Gen.OneOf([.. JourneyGen.Events, "go"]) from n in Gen.Int[0, 9] from at in JourneyGen.Timestamp
            from late in Gen.Int[0, 9]
            select (Operation)new Receive(name, n, at, Backfill: late == 0)),
        (1, Gen.Int[0, 20].Select(run => (Operation)new StaleWakeUp(run))),
        (1, Gen.OneOf(JourneyMode.Paused, JourneyMode.Active, JourneyMode.Active).Select(mode => (Operation)new ChangeMode(mode))),
        (1, from node in Gen.Int[0, 20] from first in Gen.Bool select (Operation)new Decide(node, first)),
        (1, Gen.Const((Operation)new Leave())),
        (1, Gen.Int[0, 20].Select(run => (Operation)new Merge(run))));

    private static readonly Gen<(JourneyDefinition, Operation[], bool)> Cases =
        Gen.Select(JourneyGen.Canvas, Operations.Array[1, 40], Gen.Int[0, 9].Select(n => n == 0));

    [Fact]
    public void Entered_is_current_plus_moved_on_plus_exited_at_every_node_at_every_point_and_replays_agree()
    {
        Cases.Sample((journey, operations, archiveAtEnd) =>
        {
            var world = new Population(journey);
            foreach (var operation in operations)
            {
                world.Apply(operation);
                world.AssertCountsAddUp();
            }

            if (archiveAtEnd)
            {
                world.Apply(new ChangeMode(JourneyMode.Archived));
                world.AssertCountsAddUp();
                Assert.Empty(world.Runs);
            }
        }, iter: 1_500);
    }

    private abstract record Operation;

    private sealed record Enter(int N, string At) : Operation;

    private sealed record PassTime(int Minutes) : Operation;

    private sealed record Receive(string Name, int N, string At, bool Backfill) : Operation;

    private sealed record StaleWakeUp(int Run) : Operation;

    private sealed record ChangeMode(JourneyMode Mode) : Operation;

    private sealed record Decide(int Node, bool FirstVariant) : Operation;

    private sealed record Leave : Operation;

    private sealed record Merge(int Run) : Operation;

    /// <summary>Quiet hours, so that sends wait at their nodes too (the generated sends are marketing in-app messages).</summary>
    private static readonly DeliveryFacts QuietNights = DeliveryFacts.Unrestricted with { QuietHours = new QuietWindow(new LocalTime(22, 0), new LocalTime(8, 0)) };

    /// <summary>One customer's runs of one journey (reentry always), carried as the grain carries them.</summary>
    private sealed class Population(JourneyDefinition journey)
    {
        private readonly Dictionary<string, string> _winners = new(StringComparer.Ordinal);
        private readonly List<CustomerEvent> _history = [];
        private readonly JsonObject _traits = [];
        private readonly HashSet<string> _tags = new(StringComparer.Ordinal);
        private Instant _now = Canvas.T0;
        private JourneyMode _mode = JourneyMode.Active;
        private NodeCounts _counts = NodeCounts.Empty;
        private int _entries;

        public List<JourneyRun> Runs { get; } = [];

        private StepContext Context => new(
            journey, _mode, "u-1",
            new CustomerFacts(_traits, _tags, new HashSet<string>(), null, DateTimeZoneProviders.Tzdb["America/New_York"], null, new EventHistory(_history)),
            _winners, _now, Canvas.StoredTemplates, QuietNights);

        public void Apply(Operation operation)
        {
            switch (operation)
            {
                case Enter enter when _mode == JourneyMode.Active:
                    var triggered = new EventTriggered(new CustomerEvent("go", _now, Properties(enter.N, enter.At)), _now);
                    var run = JourneyEntry.Start("j", journey, 1, JourneyEntry.EntryId("u-1", "j", $"m-{++_entries}"), triggered, _now);
                    Step(run, new Entered(run));
                    break;
                case PassTime pass:
                    var until = _now + Duration.FromMinutes(pass.Minutes);
                    while (Runs.Where(r => r is { Hold: RunHold.None, Due: { } d } && d <= until).MinBy(r => r.Due) is { } due)
                    {
                        _now = Instant.Max(_now, due.Due!.Value);
                        Step(due, new WokeUp());

                        // A wake-up never leaves its run due again at once, so time always moves on.
                        Assert.DoesNotContain(Runs, r => r.EntryId == due.EntryId && r is { Hold: RunHold.None, Due: { } again } && again <= _now);
                    }

                    _now = until;
                    break;
                case Receive receive:
                    var e = new CustomerEvent(receive.Name, receive.Backfill ? _now - Duration.FromDays(2) : _now, Properties(receive.N, receive.At));
                    _history.Add(e);
                    ForEachRun(new EventArrived(e, _now));
                    break;
                case StaleWakeUp wake when Runs.Count > 0:
                    var sleeper = Runs[wake.Run % Runs.Count];
                    if (sleeper.Due is not { } dueAt || dueAt > _now)
                    {
                        Assert.Empty(Step(sleeper, new WokeUp()));
                    }

                    break;
                case ChangeMode change:
                    _mode = change.Mode;
                    ForEachRun(new JourneyChanged(change.Mode));
                    break;
                case Decide decide:
                    var sends = journey.Nodes.OfType<SendNode>().Where(n => n.Content is VariantContent { Experiment: not null }).ToList();
                    if (sends.Count > 0)
                    {
                        var node = sends[decide.Node % sends.Count];
                        var variants = ((VariantContent)node.Content).Variants;
                        var winner = _winners.TryGetValue(node.Id, out var decided) ? decided : (decide.FirstVariant ? variants[0] : variants[^1]).Name;
                        _winners[node.Id] = winner;
                        ForEachRun(new ExperimentDecided(node.Id, winner));
                    }

                    break;
                case Leave:
                    ForEachRun(new LeftSegment("loyal"));
                    break;
                case Merge merge when Runs.Count > 0:
                    var younger = Runs[merge.Run % Runs.Count];
                    Runs.Remove(younger);
                    _counts = _counts.Plus(NodeCounts.Of([new Exited(younger.Node, ExitReasons.Merged)]));
                    break;
            }
        }

        public void AssertCountsAddUp()
        {
            foreach (var node in journey.Nodes)
            {
                var count = _counts[node.Id];
                var here = Runs.Count(r => r.Node == node.Id);
                Assert.Equal(here, count.Current);
                Assert.Equal(count.Entered, here + count.MovedOn + count.Exited.Values.Sum());
                Assert.True(count.MovedOn >= 0 && count.Exited.Values.All(n => n > 0));
            }

            Assert.All(_counts.Nodes.Keys, id => Assert.True(journey.TryGetNode(id, out _)));
            Assert.Equal(_entries, journey.Nodes.Sum(n => _counts[n.Id].Entered) - journey.Nodes.Sum(n => _counts[n.Id].MovedOn));
        }

        private void ForEachRun(StepInput input)
        {
            foreach (var run in Runs.ToList())
            {
                Step(run, input);
            }
        }

        private IReadOnlyList<Decision> Step(JourneyRun run, StepInput input)
        {
            var result = JourneyStep.Advance(run, input, Context);
            var replay = JourneyStep.Advance(run, input, Context);
            Assert.Equal(Narration.Tell(result.Decisions), Narration.Tell(replay.Decisions));
            Assert.Equal(result.Decisions.OfType<SendMessage>().Select(s => s.MessageId), replay.Decisions.OfType<SendMessage>().Select(s => s.MessageId));
            Assert.Equal(JsonSerializer.Serialize(result.Run, WaymarkJson.Options), JsonSerializer.Serialize(replay.Run, WaymarkJson.Options));

            var index = Runs.FindIndex(r => r.EntryId == run.EntryId);
            if (result.Run is null)
            {
                if (index >= 0)
                {
                    Runs.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                Runs[index] = result.Run;
            }
            else
            {
                Runs.Add(result.Run);
            }

            _counts = _counts.Plus(NodeCounts.Of(result));
            foreach (var update in result.Decisions.OfType<UpdateProfile>())
            {
                foreach (var (trait, value) in update.SetTraits)
                {
                    _traits[trait] = value?.DeepClone();
                }

                _tags.UnionWith(update.AddTags);
            }

            return result.Decisions;
        }

        private static JsonObject Properties(int n, string at) => new() { ["n"] = n, ["at"] = at };
    }
}
