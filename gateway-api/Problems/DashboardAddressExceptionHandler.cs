using Microsoft.AspNetCore.Diagnostics;

namespace Waymark.Gateway.Problems;

/// <summary>
/// The Orleans dashboard reads a silo address from its URLs (<c>/dashboard/SiloStats/{address}</c>) and throws on text
/// that is no address: a <see cref="FormatException"/>, or an <see cref="ArgumentException"/> for a blank one, possibly
/// wrapped by the grain activation that parses it. Such a URL names a silo that does not exist: 404, not 500.
/// </summary>
internal sealed class DashboardAddressExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <summary>Where the gateway maps the dashboard (<c>MapOrleansDashboard</c> in OperationsSetup).</summary>
    private const string DashboardPath = "/dashboard";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!context.Request.Path.StartsWithSegments(DashboardPath) || !CausesOf(exception).Any(e => e is FormatException or ArgumentException))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = "No silo has the address this URL names." },
        });
    }

    private static IEnumerable<Exception> CausesOf(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
        }
    }
}
