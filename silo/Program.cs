using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Waymark.Hosting;
using Waymark.Storage;

var builder = Host.CreateApplicationBuilder(args);
if (builder.Configuration.GetValue<StorageProvider?>("Waymark:Storage:Provider") is null or StorageProvider.Sqlite)
{
    // SQLite is a single file on one machine: the single node is the gateway itself (README).
    throw new InvalidOperationException(
        "A silo process joins a cluster and needs a shared database: set Waymark:Storage:Provider to 'postgres' or 'sqlserver' and ConnectionStrings:Waymark.");
}

builder.AddWaymarkSilo();
await builder.Build().RunAsync();
