using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Waymark.Gateway.Problems;

/// <summary>
/// Turns what request binding rejects (unreadable JSON, a missing body) into problem details that
/// name the field at fault. Anything else is a 500 with no internals in it.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var status = bad.StatusCode;
        var error = bad.InnerException is JsonException json
            ? new FieldError(json.Path ?? "$", "is not valid JSON of the expected shape" + (json.LineNumber is { } line ? $" (line {line + 1})" : ""))
            : new FieldError("$", bad.Message);
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = "The request is invalid.",
                Detail = $"{error.Path}: {error.Message}",
                Extensions = { ["errors"] = new[] { error } },
            },
        });
    }
}
