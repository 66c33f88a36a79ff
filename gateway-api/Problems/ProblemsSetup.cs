namespace Waymark.Gateway.Problems;

internal static class ProblemsSetup
{
    /// <summary>Every error the gateway answers is an RFC 7807 body, including 404s of unknown routes and 500s.</summary>
    public static IHostApplicationBuilder AddWaymarkProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        return builder;
    }

    public static WebApplication UseWaymarkProblems(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
