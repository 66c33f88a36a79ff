using System.Collections.Immutable;

namespace Waymark.GrainInterfaces.Definitions;

/// <summary>How a request on a definition ended; the gateway maps it to 2xx, 400, 403, 404 or 409.</summary>
public enum OutcomeKind
{
    Done,
    Invalid,
    Forbidden,
    NotFound,
    Conflict,
}

/// <summary>
/// The answer of a definition grain: the value when done, else why not (a reason, and for invalid
/// definitions every problem with its path). Refusals are answers, not exceptions, so they carry no stack.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Outcome<T>(
    [property: Id(0)] OutcomeKind Kind,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Reason,
    [property: Id(3)] ImmutableArray<DefinitionError> Errors);

public static class Outcome
{
    public static Outcome<T> Done<T>(T value) => new(OutcomeKind.Done, value, null, []);

    public static Outcome<T> Refused<T>(OutcomeKind kind, string reason) => new(kind, default, reason, []);

    /// <summary>Refused for problems in the definition: <see cref="OutcomeKind.Invalid"/> for a submitted body, a conflict when a stored draft no longer passes.</summary>
    public static Outcome<T> Problems<T>(OutcomeKind kind, string reason, ImmutableArray<DefinitionError> errors) =>
        new(kind, default, reason, errors);
}
