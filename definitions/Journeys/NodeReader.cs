using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Journeys;

/// <summary>
/// Reads one node of a canvas, reporting every problem of its own fields; what the graph checks need
/// (id, edges, whether it waits) is kept even when the node has problems.
/// </summary>
internal sealed partial class NodeReader(DefinitionContext context, Problems problems, bool journeyHasGoal)
{
    private const string IdField = "id";
    private const string TypeField = "type";
    private const string AddTags = "addTags";
    private const string RemoveTags = "removeTags";
    private const string SetTraits = "setTraits";

    private readonly SendNodeReader _sends = new(context, problems, journeyHasGoal);

    public NodeReading Read(JsonElement element, string path)
    {
        var problemsBefore = problems.Count;
        var node = ObjectReader.Open(element, path, problems);
        if (node is null)
        {
            return new NodeReading(path, null, Waits: false, [], EdgesComplete: false, null);
        }

        var id = ReadId(node);
        var type = node.OneOf(TypeField, NodeTypes.All, required: true);
        var edges = new EdgeList();

        // Without an id the node is not built, but its fields are still read for their problems.
        var buildId = id ?? "";
        JourneyNode? built = type switch
        {
            NodeTypes.Wait => ReadWait(node, buildId, edges),
            NodeTypes.WaitEvent => ReadWaitEvent(node, buildId, edges),
            NodeTypes.Condition => ReadCondition(node, buildId, edges),
            NodeTypes.Split => ReadSplit(node, buildId, edges),
            NodeTypes.Send => _sends.Read(node, buildId, edges),
            NodeTypes.Update => ReadUpdate(node, buildId, edges),
            NodeTypes.Exit => new ExitNode(buildId),
            _ => null,
        };

        // Which fields are known depends on the type, so an unknown type is the only problem named.
        if (type is null)
        {
            edges.MarkIncomplete();
        }
        else
        {
            node.RejectUnknownFields();
        }

        var clean = problems.Count == problemsBefore;
        return new NodeReading(path, id, type is not null && NodeTypes.Waits(type), edges.Edges, edges.Complete, clean ? built : null);
    }

    // An id of the wrong form is still what edges name, so it is kept for the graph checks.
    private string? ReadId(ObjectReader node)
    {
        var id = node.Text(IdField, required: true);
        if (id is not null && !NodeId().IsMatch(id))
        {
            problems.Add(node.PathOf(IdField), $"must be 1 to 64 letters, digits, '-' or '_', not '{id}'");
        }

        return id;
    }

    private WaitNode? ReadWait(ObjectReader node, string id, EdgeList edges)
    {
        var time = ReadWaitTime(node);
        var next = edges.Read(node, Edge.Next);
        return time is null || next is null ? null : new WaitNode(id, time, next);
    }

    private WaitTime? ReadWaitTime(ObjectReader node)
    {
        var hasDuration = node.Has("duration");
        if (hasDuration == node.Has("until"))
        {
            problems.Add(node.Path, hasDuration ? "give either 'duration' or 'until', not both" : "needs 'duration' or 'until'");
        }

        WaitTime? duration = node.Duration("duration") is { } d ? new WaitForDuration(d) : null;
        var until = node.Field("until") is { } u ? ReadUntil(u, node.PathOf("until")) : null;
        return duration ?? until;
    }

    private WaitTime? ReadUntil(JsonElement until, string path)
    {
        if (until.ValueKind == JsonValueKind.String)
        {
            return ObjectReader.ReadTimestamp(until.GetString()!, path, problems) is { } at ? new WaitUntilInstant(at) : null;
        }

        if (until.ValueKind != JsonValueKind.Object)
        {
            problems.Add(path, $"must be a timestamp or an object with 'property', not {ObjectReader.Describe(until)}");
            return null;
        }

        var reader = ObjectReader.Open(until, path, problems)!;
        var property = ReadRunPath(reader, "property");
        var offset = reader.Duration("offset", allowNegative: true, allowZero: true);
        var timeOfDay = ReadTimeOfDay(reader, "atTimeOfDay");
        reader.RejectUnknownFields();
        return property is null ? null : new WaitUntilProperty(property, offset ?? TimeSpan.Zero, timeOfDay);
    }

    private static LocalTime? ReadTimeOfDay(ObjectReader reader, string name)
    {
        if (reader.Text(name) is not { } text)
        {
            return null;
        }

        var match = TimeOfDay().Match(text);
        if (!match.Success)
        {
            reader.Problems.Add(reader.PathOf(name), $"must be a time of day as HH:mm from 00:00 to 23:59, not '{text}'");
            return null;
        }

        return new LocalTime(int.Parse(match.Groups[1].ValueSpan, provider: null), int.Parse(match.Groups[2].ValueSpan, provider: null));
    }

    private WaitEventNode? ReadWaitEvent(ObjectReader node, string id, EdgeList edges)
    {
        var eventName = node.Text("event", required: true);
        var where = ReadPredicate(node, "where", PredicateScope.RunEventWhere);
        var timeout = node.Duration("timeout", required: true);
        var next = edges.Read(node, Edge.Next);
        var timeoutNext = edges.Read(node, Edge.TimeoutNext);
        return eventName is null || timeout is null || next is null || timeoutNext is null
            ? null
            : new WaitEventNode(id, eventName, where, timeout.Value, next, timeoutNext);
    }

    private ConditionNode? ReadCondition(ObjectReader node, string id, EdgeList edges)
    {
        var condition = ReadPredicate(node, "if", PredicateScope.Condition, required: true);
        var then = edges.Read(node, Edge.Then);
        var otherwise = edges.Read(node, Edge.Else);
        return condition is null || then is null || otherwise is null ? null : new ConditionNode(id, condition, then, otherwise);
    }

    private SplitNode? ReadSplit(ObjectReader node, string id, EdgeList edges)
    {
        var items = node.Array("branches", required: true);
        if (items is null)
        {
            edges.MarkIncomplete();
            return null;
        }

        var choices = new List<WeightedChoices.Choice>();
        var branches = new List<SplitBranch>();
        foreach (var (item, path) in items)
        {
            if (ObjectReader.Open(item, path, problems) is not { } branch)
            {
                edges.MarkIncomplete();
                choices.Add(new WeightedChoices.Choice(path, null, null));
                continue;
            }

            var name = branch.Text("name", required: true);
            var weight = (int?)branch.WholeNumber("weight", 0, WeightedChoices.TotalWeight, required: true);
            var next = edges.Read(branch, Edge.Next, label: name ?? "");
            branch.RejectUnknownFields();
            choices.Add(new WeightedChoices.Choice(path, name, weight));
            if (name is not null && weight is not null && next is not null)
            {
                branches.Add(new SplitBranch(name, weight.Value, next));
            }
        }

        WeightedChoices.Check(choices, node.PathOf("branches"), "branches", problems);
        return new SplitNode(id, branches);
    }

    private UpdateNode? ReadUpdate(ObjectReader node, string id, EdgeList edges)
    {
        var setTraits = ReadSetTraits(node);
        var addTags = ReadTags(node, AddTags);
        var removeTags = ReadTags(node, RemoveTags);
        var next = edges.Read(node, Edge.Next);

        if (addTags is not null && removeTags is not null)
        {
            var added = addTags.ToHashSet(StringComparer.Ordinal);
            foreach (var (tag, i) in removeTags.Select((tag, i) => (tag, i)).Where(t => added.Contains(t.tag)))
            {
                problems.Add(JsonPath.Index(node.PathOf(RemoveTags), i), $"'{tag}' is also in '{AddTags}'");
            }
        }

        // A field that could not be read has its own problem; "changes nothing" would only add noise.
        var unreadable = (node.Has(SetTraits) && setTraits is null) || (node.Has(AddTags) && addTags is null) || (node.Has(RemoveTags) && removeTags is null);
        var changes = (setTraits?.Count ?? 0) + (addTags?.Count ?? 0) + (removeTags?.Count ?? 0);
        if (!unreadable && changes == 0)
        {
            problems.Add(node.Path, $"changes nothing: give at least one trait in '{SetTraits}' or tag in '{AddTags}' or '{RemoveTags}'");
        }

        return setTraits is null || addTags is null || removeTags is null || next is null
            ? null
            : new UpdateNode(id, setTraits, addTags, removeTags, next);
    }

    private Dictionary<string, TraitValue>? ReadSetTraits(ObjectReader node)
    {
        var traits = new Dictionary<string, TraitValue>(StringComparer.Ordinal);
        if (node.Field(SetTraits) is not { } value)
        {
            return traits;
        }

        var path = node.PathOf(SetTraits);
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(path, $"must be an object of trait names and values, not {ObjectReader.Describe(value)}");
            return null;
        }

        foreach (var trait in value.EnumerateObject())
        {
            var traitPath = JsonPath.Property(path, trait.Name);
            if (trait.Name.Length == 0)
            {
                problems.Add(traitPath, "a trait name must not be empty");
            }
            else if (traits.ContainsKey(trait.Name))
            {
                problems.Add(traitPath, "is set twice");
            }
            else if (ReadTraitValue(trait.Value, traitPath) is { } traitValue)
            {
                traits[trait.Name] = traitValue;
            }
        }

        return traits;
    }

    private TraitValue? ReadTraitValue(JsonElement value, string path)
    {
        // Clone: the model outlives the document the canvas was parsed into.
        if (value.ValueKind != JsonValueKind.Object)
        {
            return new LiteralTraitValue(value.Clone());
        }

        var reader = ObjectReader.Open(value, path, problems)!;
        var valuePath = ReadRunPath(reader, "path");
        reader.RejectUnknownFields();
        return valuePath is null ? null : new PathTraitValue(valuePath);
    }

    private List<string>? ReadTags(ObjectReader node, string field)
    {
        if (node.Array(field) is not { } items)
        {
            return node.Has(field) ? null : [];
        }

        var tags = new List<string>();
        foreach (var (item, path) in items)
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } tag)
            {
                tags.Add(tag);
            }
            else
            {
                problems.Add(path, $"must be a tag name (a non-empty string), not {(item.ValueKind == JsonValueKind.String ? "an empty string" : ObjectReader.Describe(item))}");
            }
        }

        return tags.Count == items.Count ? tags : null;
    }

    /// <summary>A required value read from the run: <c>trigger.properties.*</c>, <c>event.properties.*</c> or <c>customer.traits.*</c>.</summary>
    private static ValuePath? ReadRunPath(ObjectReader reader, string field) =>
        reader.Text(field, required: true) is { } text
            ? ValuePath.Read(text, reader.PathOf(field), reader.Problems, runPathsAllowed: true)
            : null;

    private Predicate? ReadPredicate(ObjectReader node, string field, PredicateScope scope, bool required = false) =>
        node.Field(field, required) is { } value ? PredicateReader.ReadScanned(value, node.PathOf(field), scope, context, problems) : null;

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex NodeId();

    [GeneratedRegex("^([01][0-9]|2[0-3]):([0-5][0-9])\\z")]
    private static partial Regex TimeOfDay();
}
