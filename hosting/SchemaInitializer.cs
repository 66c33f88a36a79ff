using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Waymark.Storage;

namespace Waymark.Hosting;

/// <summary>
/// Brings the database schema up to date before Orleans starts: it is registered ahead of the silo or
/// client, and hosted services start in registration order.
/// </summary>
internal sealed class SchemaInitializer(WaymarkDatabase database, ILogger<SchemaInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.MigrateAsync(database, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
