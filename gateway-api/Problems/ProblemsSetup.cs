using System.Text.Json.Serialization;

namespace Waymark.Gateway.Problems;

internal static class ProblemsSetup
{
    /// <summary>Every error the gateway answers is an RFC 7807 body, including 404s of unknown routes and 500s.</summary>
    public static IHostApplicationBuilder AddWaymarkProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = NameTheBody);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DashboardAddressExceptionHandler>();

        // Binding failures are thrown (not only in Development) so that BadRequestExceptionHandler names the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        // A member sent twice has no right value ("last one wins" would be a guess, and JsonObject refuses it later),
        // and a number sent as text is not the number the contract asks for: both are refused, not read leniently.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        return builder;
    }

    public static WebApplication UseWaymarkProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Kestrel ends an oversized body, and binding a body of another content type than JSON, before any handler sees
    /// it; the problem still says what is at fault.
    /// </summary>
    private static void NameTheBody(ProblemDetailsContext context)
    {
        var message = context.ProblemDetails.Status switch
        {
            StatusCodes.Status413PayloadTooLarge => "the request body is larger than this endpoint accepts",
            StatusCodes.Status415UnsupportedMediaType => "must be JSON, sent with Content-Type: application/json",
            _ => null,
        };
        if (message is not null && !context.ProblemDetails.Extensions.ContainsKey("errors"))
        {
            var error = new FieldError("$", message);
            context.ProblemDetails.Detail = $"{error.Path}: {error.Message}";
            context.ProblemDetails.Extensions["errors"] = new[] { error };
        }
    }
}
