using System.Text.Json.Nodes;
using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Templates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>
/// One <see cref="JourneyStep.Advance"/>: the loop "where am I, what does this node do with what just
/// happened, where next", collecting decisions until the run waits, is held or ends.
/// </summary>
internal sealed class RunWalk
{
    private readonly StepContext _context;
    private readonly JourneyMode _mode;
    private readonly List<Decision> _decisions = [];

    // Waits passed on in this step: coming round to one again means a loop with no wait ahead of it.
    private readonly HashSet<string> _passedWaits = new(StringComparer.Ordinal);

    // A step walks at most twice (an overdue step caught up, then an event's move), each walk reaching every
    // node at most once plus one wait it passed coming round again.
    private readonly int _maxArrivals;

    private JourneyRun _run;
    private CustomerFacts _customer;

    // The sending rules' view of the customer, with the capped messages this step already sent.
    private DeliveryFacts _delivery;
    private bool _ended;
    private int _arrivals;

    public RunWalk(JourneyRun run, StepContext context, JourneyMode mode)
    {
        _run = run;
        _context = context;
        _mode = mode;
        _customer = context.Customer;
        _delivery = context.Delivery ?? DeliveryFacts.Unrestricted;
        _maxArrivals = 2 * (context.Journey.Nodes.Count + 1);
    }

    private JourneyDefinition Journey => _context.Journey;

    private Instant Now => _context.Now;

    public void Take(StepInput input)
    {
        if (input is Entered)
        {
            _decisions.Add(new RunEntered(_run.Node));
        }

        if (_mode == JourneyMode.Archived)
        {
            End(ExitReasons.Archived);
            return;
        }

        switch (input)
        {
            case Entered:
                Walk(Arrive());
                break;
            case WokeUp:
            case JourneyChanged:
                // Resumed, a held or overdue step runs now; paused, only a step already due is touched: it is held.
                CatchUp(Now);
                break;
            case EventArrived arrived:
                Receive(arrived);
                break;
            case LeftSegment left:
                CatchUp(Now);
                if (!_ended && Journey.ExitWhen.OfType<ExitOnSegmentExit>().Any(c => string.Equals(c.Segment, left.Segment, StringComparison.Ordinal)))
                {
                    End(ExitReasons.ExitCriterion);
                }

                break;
            case ExperimentDecided decided:
                Release(decided);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(input), $"unknown step input {input.GetType().Name}");
        }
    }

    public StepResult Result() =>
        _ended ? new StepResult(null, _decisions, GoalCheck.WatchAfter(Journey, _run, Now)) : new StepResult(_run, _decisions);

    /// <summary>Takes the run's step if it came due by <paramref name="at"/>: the wake-up that is due, or one the grain has not yet delivered.</summary>
    private void CatchUp(Instant at)
    {
        if (_run.Due is { } due && due <= at)
        {
            Walk(StepDue());
        }
    }

    private void Receive(EventArrived arrived)
    {
        var e = arrived.Event;

        // Events and timers apply in time order: a step due before the event was received goes first.
        CatchUp(arrived.ReceivedAt < Now ? arrived.ReceivedAt : Now);
        if (_ended)
        {
            return;
        }

        if (Journey.Goal is { } goal && !_run.GoalReached
            && GoalCheck.Converts(goal, _run.EnteredAt, RunPaths.ValuesOf(_run), e, arrived.ReceivedAt, _customer, Now))
        {
            _decisions.Add(new GoalReached(_run.Node, _run.Branch, _run.Variant));
            _run = _run with { GoalReached = true };
        }

        if (EventAge.HappenedDuringRun(e, arrived.ReceivedAt, _run.EnteredAt)
            && Journey.ExitWhen.OfType<ExitOnEvent>().Any(c => Matches(c.Event, c.Where, e)))
        {
            End(ExitReasons.ExitCriterion);
            return;
        }

        // A held waitEvent is one whose timeout came first; a backfill moves no waitEvent.
        if (_run.Hold == RunHold.None && !EventAge.IsBackfill(e, arrived.ReceivedAt)
            && Journey.Node(_run.Node) is WaitEventNode awaited && Matches(awaited.Event, awaited.Where, e))
        {
            _run = _run with { CurrentEvent = e with { Properties = (JsonObject)e.Properties.DeepClone() } };
            Walk(new Move(awaited.Next, MoveReasons.Event));
        }
    }

    private bool Matches(string eventName, Predicate? where, CustomerEvent e) =>
        string.Equals(e.Name, eventName, StringComparison.Ordinal)
        && (where is null || PredicateEvaluator.Evaluate(where, new EvaluationFacts(Now, _customer, e, RunPaths.ValuesOf(_run))));

    /// <summary>The experiment's winner goes to a run waiting for it at that send.</summary>
    private void Release(ExperimentDecided decided)
    {
        if (_run.Hold != RunHold.Experiment || !string.Equals(_run.Node, decided.Node, StringComparison.Ordinal))
        {
            return;
        }

        if (_mode == JourneyMode.Paused)
        {
            // Resume runs the send again, which then finds the winner among the context's.
            Hold(RunHold.Paused, Now);
            return;
        }

        _run = _run with { Hold = RunHold.None };
        Walk(Send((SendNode)Journey.Node(decided.Node), decided.Winner));
    }

    /// <summary>The step of the run's node came due (or is released after a pause): what it does then.</summary>
    private Move? StepDue()
    {
        if (_mode == JourneyMode.Paused)
        {
            if (_run.Hold != RunHold.Paused)
            {
                Hold(RunHold.Paused, _run.Due);
            }

            return null;
        }

        _run = _run with { Hold = RunHold.None };
        switch (Journey.Node(_run.Node))
        {
            case WaitNode wait:
                _passedWaits.Add(wait.Id);
                return new Move(wait.Next, MoveReasons.Next);
            case WaitEventNode awaited:
                return new Move(awaited.TimeoutNext, MoveReasons.Timeout);
            default:
                // A node that acts on arrival was held before acting (paused, or a send waiting for quiet hours to end): it acts now.
                _run = _run with { Due = null };
                return Arrive();
        }
    }

    private void Walk(Move? first)
    {
        for (var move = first; move is { } m; move = Arrive())
        {
            _decisions.Add(new Moved(_run.Node, m.To, m.Reason));
            _run = _run with { Node = m.To, NodeSince = Now, Due = null, Hold = RunHold.None };
        }
    }

    /// <summary>What the node the run stands at does on arrival; the move it makes at once, if any.</summary>
    private Move? Arrive()
    {
        if (++_arrivals > _maxArrivals)
        {
            throw new InvalidOperationException(
                $"Run {_run.EntryId} of journey {_run.JourneyId} took more than {_maxArrivals} steps at once, at '{_run.Node}': its canvas has a cycle that does not wait.");
        }

        var node = Journey.Node(_run.Node);
        switch (node)
        {
            case WaitNode wait:
                return ArriveAtWait(wait);
            case WaitEventNode awaited:
                Wait(Instants.Shift(_run.NodeSince, Duration.FromTimeSpan(awaited.Timeout)), awaited.Event);
                return null;
            case var _ when _mode == JourneyMode.Paused:
                // Paused, a node that acts at once does not act: resume finds it due since arrival.
                Hold(RunHold.Paused, _run.NodeSince);
                return null;
            default:
                return Act(node);
        }
    }

    private Move? ArriveAtWait(WaitNode wait)
    {
        if (WaitDue.Of(wait.Time, _run.NodeSince, _run, _customer) is not { } due)
        {
            End(ExitReasons.InvalidUntil);
            return null;
        }

        if (due > Now)
        {
            Wait(due, forEvent: null);
            return null;
        }

        // A time already past moves on at once, but a run that comes round to a wait it passed in this very
        // step is in a loop whose only waits lie in the past: it would go round forever, sending each time.
        // It stays here with no due time instead, until exitWhen or archive ends it.
        if (!_passedWaits.Add(wait.Id))
        {
            Wait(due: null, forEvent: null);
            return null;
        }

        if (_mode == JourneyMode.Paused)
        {
            Hold(RunHold.Paused, due);
            return null;
        }

        return new Move(wait.Next, MoveReasons.Next);
    }

    private Move? Act(JourneyNode node)
    {
        switch (node)
        {
            case ConditionNode condition:
                var holds = PredicateEvaluator.Evaluate(condition.If, new EvaluationFacts(Now, _customer, _run.CurrentEvent, RunPaths.ValuesOf(_run)));
                return holds ? new Move(condition.Then, MoveReasons.ConditionTrue) : new Move(condition.Else, MoveReasons.ConditionFalse);
            case SplitNode split:
                var branch = split.Branches[WeightedPick.Index(split.Branches, b => b.Weight, Percentile("split", split.Id))];
                _run = _run with { Branch = branch.Name };
                return new Move(branch.Next, MoveReasons.Branch(branch.Name));
            case SendNode send:
                return Send(send, decidedWinner: null);
            case UpdateNode update:
                ApplyUpdate(update);
                return new Move(update.Next, MoveReasons.Next);
            case ExitNode:
                End(ExitReasons.ExitNode);
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(node), $"unknown node type {node.GetType().Name}");
        }
    }

    private Move? Send(SendNode send, string? decidedWinner)
    {
        // The rules come before the variant: a customer suppressed or deferred here takes no part in the node's experiment
        // yet. Choosing first would start the test period, put the customer in the test (its rate then counting a message
        // never sent) or hold them for a winner they may never be sent. A deferred customer chooses when the rules let
        // the message through, as a new arrival would then.
        var pass = _run.SendsByNode.GetValueOrDefault(send.Id);
        var messageId = MessageIds.For(_run.JourneyId, _run.EntryId, send.Id, pass);
        switch (SendingRules.Check(send.Channel, send.Category, _delivery, Now, _customer.TimeZone))
        {
            case SuppressSend suppressed:
                _decisions.Add(new MessageSuppressed(send.Id, messageId, send.Channel, send.Category, suppressed.Reason));
                _run = _run with { SendsByNode = _run.SendsByNode.SetItem(send.Id, pass + 1) };
                return new Move(send.Next, MoveReasons.Next);
            case DeferSend deferred:
                // A wait at the send node: its wake-up (or a resume, or a catch-up) acts on arrival again, so the rules run again.
                _decisions.Add(new MessageDeferred(send.Id, messageId, send.Channel, send.Category, deferred.Until));
                Wait(deferred.Until, forEvent: null);
                return null;
        }

        MessageTemplate template;
        string? variant = null;
        switch (send.Content)
        {
            case InlineContent inline:
                template = inline.Template;
                break;
            case StoredContent stored:
                template = _context.StoredTemplates.TryGetValue(stored.TemplateId, out var found)
                    ? found
                    : throw new InvalidOperationException($"Journey {_run.JourneyId} version {_run.Version} sends stored template '{stored.TemplateId}', which its snapshot lacks.");
                break;
            case VariantContent variants:
                if (ChooseVariant(send, variants, decidedWinner) is not { } chosen)
                {
                    Hold(RunHold.Experiment, due: null);
                    return null;
                }

                (template, variant) = (chosen.Template, chosen.Name);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(send), $"unknown message content {send.Content.GetType().Name}");
        }

        _decisions.Add(new SendMessage(send.Id, messageId, send.Channel, send.Category, variant, template, _run.CurrentEvent));
        _run = _run with { Variant = variant ?? _run.Variant, SendsByNode = _run.SendsByNode.SetItem(send.Id, pass + 1) };
        if (SendingRules.CountsTowardCap(send.Channel, send.Category))
        {
            _delivery = _delivery.WithSend(Now); // a second send later in this step sees this one
        }

        return new Move(send.Next, MoveReasons.Next);
    }

    /// <summary>The variant this run sends; null when it waits for the experiment's winner.</summary>
    private MessageVariant? ChooseVariant(SendNode send, VariantContent content, string? decidedWinner)
    {
        var winner = decidedWinner;
        if (winner is null && content.Experiment is not null)
        {
            _context.ExperimentWinners.TryGetValue(send.Id, out winner);
        }

        if (winner is not null)
        {
            return content.Variants.FirstOrDefault(v => string.Equals(v.Name, winner, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"The experiment at '{send.Id}' of journey {_run.JourneyId} was won by '{winner}', which is none of its variants.");
        }

        // While the experiment tests, testPercent of customers join the test; the others wait for the winner.
        if (content.Experiment is { } experiment && Percentile("experiment-test", send.Id) >= experiment.TestPercent)
        {
            return null;
        }

        return content.Variants[WeightedPick.Index(content.Variants, v => v.Weight, Percentile("variant", send.Id))];
    }

    /// <summary>
    /// Emits the update, and applies it to this step's view of the customer so a condition later in the same
    /// step reads the new traits and tags (segment membership follows only when the segment runtime recomputes it).
    /// </summary>
    private void ApplyUpdate(UpdateNode update)
    {
        var set = new JsonObject();
        foreach (var (trait, value) in update.SetTraits)
        {
            switch (value)
            {
                case LiteralTraitValue literal:
                    set[trait] = JsonNode.Parse(literal.Value.GetRawText());
                    break;
                case PathTraitValue path when RunPaths.Read(path.Path, _run, _customer) is { } read:
                    set[trait] = read.DeepClone();
                    break;
            }
        }

        _decisions.Add(new UpdateProfile(update.Id, set, update.AddTags, update.RemoveTags));

        var traits = (JsonObject)_customer.Traits.DeepClone();
        foreach (var (trait, value) in set)
        {
            traits[trait] = value?.DeepClone();
        }

        var tags = new HashSet<string>(_customer.Tags, StringComparer.Ordinal);
        tags.UnionWith(update.AddTags);
        tags.ExceptWith(update.RemoveTags);
        _customer = _customer with { Traits = traits, Tags = tags };
    }

    /// <summary>A stable percentile of this customer in this journey for one purpose at one node.</summary>
    private int Percentile(string purpose, string node) => StableHash.Percentile(purpose, _context.CustomerKey, _run.JourneyId, node);

    private void Wait(Instant? due, string? forEvent)
    {
        _decisions.Add(new Waiting(_run.Node, due, forEvent));
        _run = _run with { Due = due };
    }

    private void Hold(RunHold why, Instant? due)
    {
        _decisions.Add(new Held(_run.Node, why));
        _run = _run with { Hold = why, Due = due };
    }

    private void End(string reason)
    {
        _decisions.Add(new Exited(_run.Node, reason));
        _ended = true;
    }

    /// <summary>A move the run makes from the node it stands at.</summary>
    private readonly record struct Move(string To, string Reason);
}
