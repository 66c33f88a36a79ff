using Microsoft.AspNetCore.Http.HttpResults;

namespace Waymark.Gateway.Problems;

/// <summary>
/// The problem-details answers every endpoint gives. Bad requests list every problem at once as
/// <c>errors: [{path, message}]</c>, the shape api.md gives for journey validation.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult Invalid(IReadOnlyCollection<FieldError> errors) =>
        TypedResults.Problem(
            title: "The request is invalid.",
            detail: string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")),
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Invalid(string path, string message) => Invalid([new FieldError(path, message)]);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found.", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>A conflict caused by problems in stored content (a draft that no longer validates), listed like <see cref="Invalid(IReadOnlyCollection{FieldError})"/>.</summary>
    public static ProblemHttpResult Conflict(string detail, IReadOnlyCollection<FieldError> errors) =>
        TypedResults.Problem(
            title: "Conflict.",
            detail: detail,
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "Forbidden.", detail: detail, statusCode: StatusCodes.Status403Forbidden);
}
