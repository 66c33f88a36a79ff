using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Bench.Runtime;

/// <summary>
/// The real gateway with its embedded silo, hosted in this process as the gateway tests host it, on Kestrel so the
/// load crosses a real loopback socket; its business clock is <see cref="Clock"/>.
/// </summary>
internal sealed class BenchGateway : WebApplicationFactory<global::Program>
{
    public const string WriteKey = "bench-write-key-000000001";
    public const string AdminKey = "bench-admin-key-000000001";

    private readonly Dictionary<string, string?> settings;

    public BenchGateway(IReadOnlyDictionary<string, string?> storageSettings)
    {
        settings = new(storageSettings)
        {
            ["Waymark:Bootstrap:WriteKey"] = WriteKey,
            ["Waymark:Bootstrap:AdminKey"] = AdminKey,
            ["Waymark:Silo:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = "0",
            ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // loopback only, also when PostgreSQL clustering is on
            // The gateway logs as configured, only to stderr: stdout carries the results.
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Port = FreePort.Next();
        this.UseKestrel(Port);
    }

    public BusinessClock Clock { get; } = new();

    /// <summary>The gateway's warnings and errors, counted.</summary>
    public LogTally Logs { get; } = new();

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production"); // what users run

        // On stop every customer touched saves its snapshot, one write each; the data is thrown away, so do not wait.
        builder.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton(new WaymarkClock(Clock));
            services.AddLogging(logging => logging.AddProvider(Logs));
        });
    }
}
