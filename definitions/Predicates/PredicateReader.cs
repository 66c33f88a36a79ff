using System.Text.Json;
using Waymark.Definitions.Validation;

namespace Waymark.Definitions.Predicates;

/// <summary>
/// Reads and validates predicates (canvas.md "Predicates"), reporting every problem at its JSON path.
/// One extension: an event predicate with no <c>count</c>, <c>days</c> or <c>sum</c> means the event
/// happened at least once (<see cref="EventMeasure.AtLeastOnce"/>), as the <c>exitWhen</c> and
/// <c>goal</c> shapes of canvas.md already read.
/// </summary>
public static class PredicateReader
{
    /// <summary>How deep predicates may nest (through all, any, not and an event's where) before reading refuses.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The predicate <paramref name="element"/> at <paramref name="path"/> (such as <c>$.where</c>), or null
    /// with every problem added to <paramref name="problems"/>. Never throws on any JSON.
    /// </summary>
    public static Predicate? Read(JsonElement element, string path, PredicateScope scope, DefinitionContext context, Problems problems) =>
        UnreadableText.Check(element, path, problems) ? ReadScanned(element, path, scope, context, problems) : null;

    /// <summary>As <see cref="Read"/>, for part of a document <see cref="UnreadableText"/> has already checked.</summary>
    internal static Predicate? ReadScanned(JsonElement element, string path, PredicateScope scope, DefinitionContext context, Problems problems) =>
        new PredicateParser(context, problems).Read(element, path, scope);
}
