using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Definitions.Validation;
using DefinitionProblems = Waymark.Definitions.Validation.Problems;

namespace Waymark.Gateway.Problems;

/// <summary>
/// A body bound as <see cref="JsonElement"/> keeps its strings as the bytes sent, which may be no text at all: bytes
/// that are not UTF-8, or an escaped lone surrogate. Reading one (<c>GetRawText</c>, <c>GetString</c>) throws, so every
/// such body is checked here first, and each string that is not text is refused at its path.
/// </summary>
internal static class JsonBodies
{
    /// <summary>The problem with the body's strings and member names that are not text; null when all are.</summary>
    public static ProblemHttpResult? Unreadable(JsonElement body)
    {
        var problems = new DefinitionProblems();
        return UnreadableText.Check(body, JsonPath.Root, problems)
            ? null
            : ApiProblems.Invalid([.. problems.All.Select(p => new FieldError(p.Path, p.Message))]);
    }
}
