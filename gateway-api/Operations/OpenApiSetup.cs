using Microsoft.OpenApi;

namespace Waymark.Gateway.Operations;

/// <summary>The OpenAPI document at <c>/swagger/v1/swagger.json</c> and its UI at <c>/swagger</c>.</summary>
internal static class OpenApiSetup
{
    public static IHostApplicationBuilder AddWaymarkOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo { Title = "Waymark", Version = "v1" });
            options.AddSecurityDefinition("apiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key of role viewer, designer, approver or admin.",
            });
            options.AddSecurityDefinition("writeKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "A write key as the user name, empty password (Segment's scheme).",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("apiKey", document)] = [],
                [new OpenApiSecuritySchemeReference("writeKey", document)] = [],
            });
        });
        return builder;
    }

    public static WebApplication MapWaymarkOpenApi(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI();
        return app;
    }
}
