using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using Waymark.Gateway.Auth;

namespace Waymark.Gateway.Operations;

/// <summary>api.md §7: health, metrics and the Orleans dashboard.</summary>
internal static class OperationsSetup
{
    private const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddWaymarkOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);

        // Metrics: Prometheus scraping at /metrics (the operator), and OTLP push where OTEL_EXPORTER_OTLP_ENDPOINT is set.
        var metrics = builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter("Microsoft.Orleans", "Waymark")
            .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            metrics.WithMetrics(m => m.AddOtlpExporter());
        }

        return builder;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Operate);
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(Policies.Operate).ExcludeFromDescription();
        return app;
    }
}
