using System.Text.Json;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>Reads and validates a journey canvas (canvas.md), reporting every problem at once with its JSON path.</summary>
public static class JourneyReader
{
    /// <summary>The longest journey name, in characters.</summary>
    public const int MaxNameLength = 200;

    private const string NameField = "name";
    private const string GoalField = "goal";

    private static readonly Dictionary<string, Reentry> Reentries = new(StringComparer.Ordinal)
    {
        ["never"] = Reentry.Never,
        ["after_exit"] = Reentry.AfterExit,
        ["always"] = Reentry.Always,
    };

    /// <summary>The journey <paramref name="root"/> describes, or every problem with it; never throws.</summary>
    public static Parsed<JourneyDefinition> Read(JsonElement root, DefinitionContext context)
    {
        var problems = new Problems();
        if (!UnreadableText.Check(root, JsonPath.Root, problems) || ObjectReader.Open(root, JsonPath.Root, problems) is not { } journey)
        {
            return Parsed.From<JourneyDefinition>(null, problems);
        }

        var name = ReadName(journey);
        var description = journey.OptionalText("description");
        var trigger = journey.Nested("trigger", required: true) is { } t ? TriggerReader.Read(t, context) : null;
        var entry = ReadEntry(journey);
        var exitWhen = ReadExitWhen(journey, context);
        var goal = journey.Nested(GoalField) is { } g ? ReadGoal(g, context) : null;
        var start = journey.Text("start", required: true);
        var nodes = ReadNodes(journey, context);
        journey.RejectUnknownFields();
        if (nodes is not null)
        {
            JourneyGraph.Check(nodes, start, journey.PathOf("start"), problems);
        }

        var definition = problems.Any || name is null || trigger is null || entry is null || exitWhen is null || start is null || nodes is null || nodes.Any(n => n.Node is null)
            ? null
            : new JourneyDefinition(name, description, trigger, entry, exitWhen, goal, start, [.. nodes.Select(n => n.Node!)]);
        return Parsed.From(definition, problems);
    }

    private static string? ReadName(ObjectReader journey)
    {
        var name = journey.Text(NameField, required: true);
        if (name is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            journey.Problems.Add(journey.PathOf(NameField), "must not be blank");
            return null;
        }

        if (name.Length > MaxNameLength)
        {
            journey.Problems.Add(journey.PathOf(NameField), $"must be at most {MaxNameLength} characters, not {name.Length}");
            return null;
        }

        return name;
    }

    private static EntryRules? ReadEntry(ObjectReader journey)
    {
        if (journey.Nested("entry") is not { } entry)
        {
            return journey.Has("entry") ? null : EntryRules.Default;
        }

        var problemsBefore = entry.Problems.Count;
        var reentry = entry.OneOf("reentry", Reentries.Keys);
        var cooldown = entry.Duration("cooldown");
        var limit = entry.WholeNumber("limit", long.MinValue, long.MaxValue);
        if (limit < 1)
        {
            entry.Problems.Add(entry.PathOf("limit"), $"must be at least 1, not {limit}");
        }

        entry.RejectUnknownFields();
        return entry.Problems.Count > problemsBefore
            ? null
            : new EntryRules(reentry is null ? Reentry.Never : Reentries[reentry], cooldown, limit);
    }

    private static List<ExitCriterion>? ReadExitWhen(ObjectReader journey, DefinitionContext context)
    {
        if (journey.Array("exitWhen") is not { } items)
        {
            return journey.Has("exitWhen") ? null : [];
        }

        var criteria = new List<ExitCriterion>();
        foreach (var (item, path) in items)
        {
            if (ObjectReader.Open(item, path, journey.Problems) is { } criterion && ReadExitCriterion(criterion, context) is { } read)
            {
                criteria.Add(read);
            }
        }

        return criteria.Count == items.Count ? criteria : null;
    }

    private static ExitCriterion? ReadExitCriterion(ObjectReader criterion, DefinitionContext context)
    {
        var bySegment = criterion.Has("segment");
        if (bySegment && criterion.Has("event"))
        {
            criterion.Problems.Add(criterion.Path, "give either 'event' or 'segment', not both");
        }

        ExitCriterion? read;
        if (bySegment)
        {
            var segment = KnownSegment.Read(criterion, "segment", context);
            var on = criterion.OneOf("on", ["exit"], required: true);
            read = segment is null || on is null ? null : new ExitOnSegmentExit(segment);
        }
        else
        {
            var eventName = criterion.Text("event", required: true);
            var where = ReadRunEventWhere(criterion, context);
            read = eventName is null ? null : new ExitOnEvent(eventName, where);
        }

        // Both kinds' fields were offered; mark the other kind's read so only the conflict is reported.
        _ = criterion.Field(bySegment ? "event" : "segment");
        criterion.RejectUnknownFields();
        return read;
    }

    private static Goal? ReadGoal(ObjectReader goal, DefinitionContext context)
    {
        var eventName = goal.Text("event", required: true);
        var where = ReadRunEventWhere(goal, context);
        var within = goal.Duration("within", required: true);
        goal.RejectUnknownFields();
        return eventName is null || within is null ? null : new Goal(eventName, where, within.Value);
    }

    private static Predicate? ReadRunEventWhere(ObjectReader reader, DefinitionContext context) =>
        reader.Field("where") is { } where
            ? PredicateReader.ReadScanned(where, reader.PathOf("where"), PredicateScope.RunEventWhere, context, reader.Problems)
            : null;

    private static List<NodeReading>? ReadNodes(ObjectReader journey, DefinitionContext context)
    {
        if (journey.Array("nodes", required: true, nonEmpty: true) is not { } items)
        {
            return null;
        }

        var reader = new NodeReader(context, journey.Problems, journeyHasGoal: journey.Has(GoalField));
        return [.. items.Select(item => reader.Read(item.Item, item.Path))];
    }
}
