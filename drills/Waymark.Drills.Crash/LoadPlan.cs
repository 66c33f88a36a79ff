using System.Text.Json.Nodes;

namespace Waymark.Drills.Crash;

/// <summary>One message of the load: a customer's event, with the message id that makes a retry of it harmless.</summary>
public sealed record PlannedEvent(string Customer, string MessageId, string Name, TimeSpan At);

/// <summary>
/// One ingestion call of the load: one message as <c>/v1/track</c> or <c>/v1/page</c>, several as <c>/v1/batch</c>; sent at
/// <see cref="At"/> into the load and, when <see cref="Twice"/>, once more after it was acknowledged, as a client whose
/// answer went missing would (the message ids make the second one change nothing).
/// </summary>
public sealed record PlannedRequest(TimeSpan At, IReadOnlyList<PlannedEvent> Events, bool Twice)
{
    public string Path => Events.Count > 1 ? "/v1/batch" : Events[0].Name == DrillJourney.PageViewed ? "/v1/page" : "/v1/track";

    public string Body()
    {
        if (Events.Count == 1)
        {
            return Message(Events[0], typed: false).ToJsonString();
        }

        return new JsonObject { ["batch"] = new JsonArray([.. Events.Select(e => (JsonNode)Message(e, typed: true))]) }.ToJsonString();
    }

    /// <summary>A Segment message with no <c>timestamp</c>, so its time in the history is its receipt, the clock the journey runs by.</summary>
    private static JsonObject Message(PlannedEvent e, bool typed)
    {
        var message = new JsonObject { ["userId"] = e.Customer, ["messageId"] = e.MessageId };
        if (e.Name == DrillJourney.PageViewed)
        {
            message["name"] = "pricing";
            if (typed)
            {
                message["type"] = "page";
            }
        }
        else
        {
            message["event"] = e.Name;
            message["properties"] = new JsonObject { ["drill"] = true };
            if (typed)
            {
                message["type"] = "track";
            }
        }

        return message;
    }
}

/// <summary>
/// The steady load, planned up front from the seed: each customer's trigger at an even pace over the load, for most of
/// them a confirmation a random 0.5 to 12 s later (before the run reaches the waitEvent, while it waits there, or after
/// its timeout: all three must come out as the journey says), and page views that drive nothing but must be kept (over
/// a hundred for one customer in a hundred). The messages go in time order in calls of one to four.
/// </summary>
public sealed class LoadPlan
{
    private const int HeavyPages = 120;
    private static readonly TimeSpan HeavyWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PagesWithin = TimeSpan.FromSeconds(12);

    public LoadPlan(IReadOnlyList<string> customers, IReadOnlyList<PlannedRequest> requests)
    {
        Customers = customers;
        Requests = requests;
    }

    public IReadOnlyList<string> Customers { get; }

    public IReadOnlyList<PlannedRequest> Requests { get; }

    public IEnumerable<PlannedEvent> Events => Requests.SelectMany(r => r.Events);

    public static LoadPlan Make(int customers, TimeSpan load, Random random)
    {
        var names = Enumerable.Range(0, customers).Select(i => $"c-{i:D5}").ToArray();
        var events = new List<PlannedEvent>();
        var pace = load / customers;
        foreach (var (customer, i) in names.Select((c, i) => (c, i)))
        {
            var start = (pace * i) + (pace * random.NextDouble());
            events.Add(new PlannedEvent(customer, $"{customer}-start", DrillJourney.Trigger, start));
            if (random.NextDouble() < 0.7)
            {
                events.Add(new PlannedEvent(customer, $"{customer}-confirm", DrillJourney.Confirmation, start + TimeSpan.FromSeconds(0.5 + (11.5 * random.NextDouble()))));
            }

            // One customer in a hundred browses a lot: over a hundred log entries, so its snapshot is written (every 100
            // entries) while the kills go on, and a restart replays the log after it. Its pages stay within the load where
            // they can, so that the load ends when planned.
            var (pages, within) = i % 100 == 0
                ? (HeavyPages, TimeSpan.FromTicks(Math.Clamp((load - start).Ticks, PagesWithin.Ticks, HeavyWithin.Ticks)))
                : (random.Next(3), PagesWithin);
            for (var page = pages; page > 0; page--)
            {
                events.Add(new PlannedEvent(customer, $"{customer}-page-{page}", DrillJourney.PageViewed, start + (within * random.NextDouble())));
            }
        }

        var requests = new List<PlannedRequest>();
        var ordered = events.OrderBy(e => e.At).ToList();
        for (var i = 0; i < ordered.Count;)
        {
            var size = Math.Min(random.Next(1, 5), ordered.Count - i);
            requests.Add(new PlannedRequest(ordered[i].At, ordered.GetRange(i, size), Twice: random.Next(20) == 0));
            i += size;
        }

        return new LoadPlan(names, requests);
    }
}
