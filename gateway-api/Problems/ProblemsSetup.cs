namespace Waymark.Gateway.Problems;

internal static class ProblemsSetup
{
    /// <summary>Every error the gateway answers is an RFC 7807 body, including 404s of unknown routes and 500s.</summary>
    public static IHostApplicationBuilder AddWaymarkProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = NameTheBodyWhenTooLarge);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Binding failures are thrown (not only in Development) so that BadRequestExceptionHandler names the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    public static WebApplication UseWaymarkProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Kestrel ends an oversized body before any handler sees it; the problem still says what is at fault.</summary>
    private static void NameTheBodyWhenTooLarge(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && !context.ProblemDetails.Extensions.ContainsKey("errors"))
        {
            var error = new FieldError("$", "the request body is larger than this endpoint accepts");
            context.ProblemDetails.Detail = $"{error.Path}: {error.Message}";
            context.ProblemDetails.Extensions["errors"] = new[] { error };
        }
    }
}
