using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Definitions;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.Gateway.Definitions;

/// <summary>How the answers of definition grains (journeys, segments, templates) become HTTP answers.</summary>
internal static class DefinitionResults
{
    /// <summary>The refusal as problem details; null when the outcome is done.</summary>
    public static ProblemHttpResult? Problem<T>(Outcome<T> outcome)
    {
        var errors = outcome.Errors.Select(e => new FieldError(e.Path, e.Message)).ToList();
        var reason = outcome.Reason ?? "";
        return outcome.Kind switch
        {
            OutcomeKind.Done => null,
            OutcomeKind.Invalid => ApiProblems.Invalid(errors),
            OutcomeKind.Forbidden => ApiProblems.Forbidden(reason),
            OutcomeKind.NotFound => ApiProblems.NotFound(reason),
            OutcomeKind.Conflict when errors.Count > 0 => ApiProblems.Conflict(reason, errors),
            _ => ApiProblems.Conflict(reason),
        };
    }

    /// <summary>A definition id from a URL, refused with the rule when malformed.</summary>
    public static ProblemHttpResult? InvalidId(string id) =>
        DefinitionIds.IsValid(id) ? null : ApiProblems.Invalid("id", DefinitionIds.Rule);

    public static Actor Actor(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(WaymarkClaims.KeyId) ?? throw new InvalidOperationException("The request is not authenticated with a key."));
}
