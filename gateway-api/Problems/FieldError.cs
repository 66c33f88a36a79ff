namespace Waymark.Gateway.Problems;

/// <summary>One problem with a request, at a JSON path such as <c>$.quietHours.start</c>.</summary>
public sealed record FieldError(string Path, string Message);
