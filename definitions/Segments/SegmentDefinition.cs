using System.Collections.Immutable;
using Waymark.Definitions.Predicates;

namespace Waymark.Definitions.Segments;

/// <summary>A segment as <c>PUT /api/segments/{id}</c> defines it (api.md §4): customers matching <see cref="Where"/>.</summary>
public sealed record SegmentDefinition(string Name, string? Description, Predicate Where)
{
    /// <summary>The segments the rule names, which must exist and must not lead back to this one.</summary>
    public ImmutableSortedSet<string> References => Where.ReferencedSegments();
}
