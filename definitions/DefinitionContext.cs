using NodaTime;
using Waymark.Definitions.Templates;

namespace Waymark.Definitions;

/// <summary>
/// What a definition is checked against besides its own text: the clock (a one-time schedule must lie
/// ahead), the workspace's segments (each with the segments its rule names, to refuse cycles) and its
/// stored templates (each with its channel, to refuse a template of another channel).
/// </summary>
public sealed record DefinitionContext(
    Instant Now,
    IReadOnlyDictionary<string, IReadOnlySet<string>> Segments,
    IReadOnlyDictionary<string, Channel> Templates)
{
    public static DefinitionContext Empty(Instant now) =>
        new(now, new Dictionary<string, IReadOnlySet<string>>(), new Dictionary<string, Channel>());
}
