using System.Text.Json;
using Waymark.Definitions.Predicates;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Segments;

/// <summary>
/// Reads and validates the body of <c>PUT /api/segments/{id}</c>:
/// <c>{ "name": …, "description"?: …, "where": predicate }</c>, refusing rules that lead back to
/// themselves through other segments.
/// </summary>
public static class SegmentReader
{
    public const int MaxNameLength = 200;

    private static readonly IReadOnlySet<string> NoReferences = new HashSet<string>();

    /// <summary>The segment <paramref name="id"/> defined by <paramref name="body"/>, or every problem found.</summary>
    public static Parsed<SegmentDefinition> Read(string id, JsonElement body, DefinitionContext context)
    {
        var problems = new Problems();
        if (!UnreadableText.Check(body, JsonPath.Root, problems) || ObjectReader.Open(body, JsonPath.Root, problems) is not { } reader)
        {
            return Parsed.From<SegmentDefinition>(null, problems);
        }

        var name = reader.Text("name", required: true);
        if (name is { Length: > MaxNameLength })
        {
            problems.Add(reader.PathOf("name"), $"must be at most {MaxNameLength} characters, not {name.Length}");
        }

        var description = reader.OptionalText("description");

        // The segment counts as known to its own rule, so naming itself reads as the cycle it is.
        var segments = new Dictionary<string, IReadOnlySet<string>>(context.Segments, StringComparer.Ordinal) { [id] = NoReferences };
        var parser = new PredicateParser(context with { Segments = segments }, problems);
        var where = reader.Field("where", required: true) is { } rule ? parser.Read(rule, reader.PathOf("where"), PredicateScope.Segment) : null;
        reader.RejectUnknownFields();

        foreach (var reference in parser.SegmentReferences)
        {
            if (ChainBack(id, reference.Id, context.Segments) is { } chain)
            {
                problems.Add(reference.Path, $"segment cycle: {string.Join(" → ", [id, .. chain])}");
            }
        }

        return Parsed.From(name is null || where is null ? null : new SegmentDefinition(name, description, where), problems);
    }

    /// <summary>
    /// The shortest chain of segments from <paramref name="start"/> that names <paramref name="id"/> again
    /// (ending with it), following the stored rules of <paramref name="library"/> except the older
    /// definition of <paramref name="id"/> itself, which this one replaces; null when there is none.
    /// </summary>
    private static List<string>? ChainBack(string id, string start, IReadOnlyDictionary<string, IReadOnlySet<string>> library)
    {
        var cameFrom = new Dictionary<string, string?>(StringComparer.Ordinal) { [start] = null };
        var pending = new Queue<string>([start]);
        while (pending.TryDequeue(out var segment))
        {
            if (segment == id)
            {
                var chain = new List<string>();
                for (string? step = segment; step is not null; step = cameFrom[step])
                {
                    chain.Add(step);
                }

                chain.Reverse();
                return chain;
            }

            foreach (var next in library.GetValueOrDefault(segment) ?? NoReferences)
            {
                if (cameFrom.TryAdd(next, segment))
                {
                    pending.Enqueue(next);
                }
            }
        }

        return null;
    }
}
