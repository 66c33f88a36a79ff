namespace Waymark.Definitions.Validation;

/// <summary>One thing wrong with a definition, at a JSON path such as <c>$.nodes[2].next</c>, in a designer's words.</summary>
public sealed record DefinitionProblem(string Path, string Message);
