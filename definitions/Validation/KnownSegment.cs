namespace Waymark.Definitions.Validation;

/// <summary>A field naming one of the workspace's segments, as segment predicates, triggers and exits do.</summary>
internal static class KnownSegment
{
    /// <summary>
    /// The segment id in the required <paramref name="field"/>, or null (with a problem reported) when it is
    /// missing or names none of <paramref name="context"/>'s segments.
    /// </summary>
    public static string? Read(ObjectReader reader, string field, DefinitionContext context)
    {
        var segment = reader.Text(field, required: true);
        if (segment is null || context.Segments.ContainsKey(segment))
        {
            return segment;
        }

        reader.Problems.Add(reader.PathOf(field), $"there is no segment '{segment}'");
        return null;
    }
}
