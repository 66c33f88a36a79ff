using System.Text.Json;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Predicates;

/// <summary>
/// The recursive reading behind <see cref="PredicateReader"/>, remembering where each known segment is
/// named so a segment definition can point at the reference that closes a cycle.
/// </summary>
internal sealed class PredicateParser(DefinitionContext context, Problems problems)
{
    private static readonly string[] Measures = ["count", "days", "sum"];

    // Fields of some form: on an object with no form they are not reported as unknown, the missing form is.
    private static readonly string[] FormFields = ["op", "value", "where", "within", .. Measures];

    private readonly List<SegmentReference> _segmentReferences = [];

    /// <summary>Each <c>segment</c> naming a known segment, with its path, in reading order.</summary>
    public IReadOnlyList<SegmentReference> SegmentReferences => _segmentReferences;

    public Predicate? Read(JsonElement element, string path, PredicateScope scope) => Read(element, path, scope, depth: 1);

    private Predicate? Read(JsonElement element, string path, PredicateScope scope, int depth)
    {
        // Nesting is bounded so hostile input meets a problem, not a stack overflow.
        if (depth > PredicateReader.MaxDepth)
        {
            problems.Add(path, $"nests predicates more than {PredicateReader.MaxDepth} levels deep");
            return null;
        }

        if (ObjectReader.Open(element, path, problems) is not { } reader)
        {
            return null;
        }

        var forms = PredicateNames.Forms.Where(reader.Has).ToList();
        if (forms.Count != 1)
        {
            ReportNotOneForm(reader, forms);
            return null;
        }

        var before = problems.Count;
        Predicate? predicate = forms[0] switch
        {
            "all" => ReadList(reader, "all", scope, depth) is { } all ? new AllPredicate(all) : null,
            "any" => ReadList(reader, "any", scope, depth) is { } any ? new AnyPredicate(any) : null,
            "not" => reader.Field("not", required: true) is { } inner && Read(inner, reader.PathOf("not"), scope, depth + 1) is { } negated
                ? new NotPredicate(negated)
                : null,
            "trait" => ReadTrait(reader, scope),
            "tag" => reader.Text("tag", required: true) is { } tag ? new TagPredicate(tag) : null,
            "segment" => ReadSegment(reader),
            "property" => ReadProperty(reader, scope),
            "event" => ReadEvent(reader, scope, depth),
            "lastSeen" => ReadLastSeen(reader, scope),
            _ => ReadRfm(reader),
        };
        reader.RejectUnknownFields();
        return problems.Count == before ? predicate : null;
    }

    private void ReportNotOneForm(ObjectReader reader, List<string> forms)
    {
        if (forms.Count > 1)
        {
            problems.Add(reader.Path, $"has both '{forms[0]}' and '{forms[1]}': a predicate is exactly one of {ObjectReader.Quote(PredicateNames.Forms)}");
            return;
        }

        problems.Add(reader.Path, $"is not a predicate: it needs one of {ObjectReader.Quote(PredicateNames.Forms)}");

        // Marking the known names read lets the unknown-field report suggest the form a typo meant.
        foreach (var field in PredicateNames.Forms.Concat(FormFields))
        {
            reader.Field(field);
        }

        reader.RejectUnknownFields();
    }

    private EquatableArray<Predicate>? ReadList(ObjectReader reader, string name, PredicateScope scope, int depth)
    {
        if (reader.Array(name, required: true, nonEmpty: true) is not { } items)
        {
            return null;
        }

        var predicates = items.Select(item => Read(item.Item, item.Path, scope, depth + 1)).ToList();
        return predicates.Contains(null) ? null : new EquatableArray<Predicate>(predicates.OfType<Predicate>());
    }

    private static TraitPredicate? ReadTrait(ObjectReader reader, PredicateScope scope)
    {
        var trait = ReadName(reader, "trait");
        var comparison = ComparisonReader.Read(reader, ComparedValue.Trait, scope);
        return trait is null || comparison is null ? null : new TraitPredicate(trait, comparison);
    }

    private PropertyPredicate? ReadProperty(ObjectReader reader, PredicateScope scope)
    {
        if (!scope.AllowsProperty)
        {
            problems.Add(reader.Path, "'property' reads an event's properties, and there is no event here: use it in the 'where' of an event predicate");
        }

        var property = ReadName(reader, "property");
        var comparison = ComparisonReader.Read(reader, ComparedValue.Property, scope);
        return property is null || comparison is null ? null : new PropertyPredicate(property, comparison);
    }

    private SegmentPredicate? ReadSegment(ObjectReader reader)
    {
        if (KnownSegment.Read(reader, "segment", context) is not { } segment)
        {
            return null;
        }

        _segmentReferences.Add(new SegmentReference(segment, reader.PathOf("segment")));
        return new SegmentPredicate(segment);
    }

    private EventPredicate? ReadEvent(ObjectReader reader, PredicateScope scope, int depth)
    {
        var name = reader.Text("event", required: true);
        var where = reader.Field("where") is { } filter ? Read(filter, reader.PathOf("where"), scope.InsideEventWhere, depth + 1) : null;
        var within = reader.Duration("within");
        var measure = ReadMeasure(reader, scope);
        return name is null || measure is null ? null : new EventPredicate(name, where, within, measure);
    }

    private EventMeasure? ReadMeasure(ObjectReader reader, PredicateScope scope)
    {
        var written = Measures.Where(reader.Has).ToList();
        if (written.Count > 1)
        {
            problems.Add(reader.PathOf(written[1]), $"an event predicate measures one thing: '{written[0]}' or '{written[1]}', not both");
        }

        var measures = Measures.Select(name => reader.Nested(name) is { } measure ? ReadMeasure(name, measure, scope) : null).ToList();
        return written.Count == 0 ? EventMeasure.AtLeastOnce : measures.FirstOrDefault(measure => measure is not null);
    }

    private static EventMeasure? ReadMeasure(string name, ObjectReader reader, PredicateScope scope)
    {
        EventMeasure? measure = name switch
        {
            "count" => ComparisonReader.Read(reader, ComparedValue.Count, scope) is { } count ? new CountMeasure(count) : null,
            "days" => ComparisonReader.Read(reader, ComparedValue.Days, scope) is { } days ? new DaysMeasure(days) : null,
            _ => ReadName(reader, "property") is { } property && ComparisonReader.Read(reader, ComparedValue.Sum, scope) is { } sum
                ? new SumMeasure(property, sum)
                : null,
        };
        reader.RejectUnknownFields();
        return measure;
    }

    private static LastSeenPredicate? ReadLastSeen(ObjectReader reader, PredicateScope scope)
    {
        if (reader.Nested("lastSeen", required: true) is not { } lastSeen)
        {
            return null;
        }

        var comparison = ComparisonReader.Read(lastSeen, ComparedValue.LastSeen, scope);
        lastSeen.RejectUnknownFields();
        return comparison is null ? null : new LastSeenPredicate(comparison);
    }

    private static RfmPredicate? ReadRfm(ObjectReader reader) =>
        reader.OneOf("rfm", PredicateNames.RfmClasses, required: true) is { } name && PredicateNames.TryParseRfmClass(name, out var rfm)
            ? new RfmPredicate(rfm)
            : null;

    // Trait and property names: dots reach into nested values, so no part may be empty.
    private static string? ReadName(ObjectReader reader, string field)
    {
        if (reader.Text(field, required: true) is not { } name)
        {
            return null;
        }

        if (ValuePath.IsNestedName(name))
        {
            return name;
        }

        reader.Problems.Add(reader.PathOf(field), $"must be a name, or names joined by '.' to reach a nested value, with no empty part, not '{name}'");
        return null;
    }
}

/// <summary>A <c>segment</c> predicate naming <paramref name="Id"/>, at <paramref name="Path"/>.</summary>
internal sealed record SegmentReference(string Id, string Path);
