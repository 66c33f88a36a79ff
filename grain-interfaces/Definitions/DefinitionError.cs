namespace Waymark.GrainInterfaces.Definitions;

/// <summary>One problem with a submitted definition, at its JSON path (<c>$.nodes[2].next</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record DefinitionError(
    [property: Id(0)] string Path,
    [property: Id(1)] string Message);
