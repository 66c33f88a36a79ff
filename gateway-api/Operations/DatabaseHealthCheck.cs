using Microsoft.Extensions.Diagnostics.HealthChecks;
using Waymark.Storage;

namespace Waymark.Gateway.Operations;

/// <summary>Ready when the database accepts a connection and a query.</summary>
internal sealed class DatabaseHealthCheck(WaymarkDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{database.Provider} answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{database.Provider} does not answer.", ex);
        }
    }
}
