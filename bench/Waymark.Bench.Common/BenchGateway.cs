using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Waymark.Model.Time;
using Waymark.Testing;

namespace Waymark.Bench.Common;

/// <summary>
/// The real gateway with its embedded silo, hosted in this process as the gateway tests host it, on Kestrel so the
/// load crosses a real loopback socket. Its business clock is <see cref="Clock"/> (real time until a benchmark moves it
/// on), its bootstrap keys are <see cref="WriteKey"/> and <see cref="AdminKey"/>, and its warnings and errors are
/// counted in <see cref="Logs"/> as well as written to stderr.
/// </summary>
public sealed class BenchGateway : WebApplicationFactory<global::Program>
{
    public const string WriteKey = "bench-write-key-000000001";
    public const string AdminKey = "bench-admin-key-000000001";

    /// <summary>A client of the ingestion API at <paramref name="baseAddress"/> with the write key, as a load driver
    /// keeps it: at most <paramref name="connections"/> connections, each call given up after <paramref name="timeout"/>.</summary>
    public static HttpClient WriteClient(Uri baseAddress, int connections, TimeSpan timeout)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{WriteKey}:")));
        return client;
    }

    private readonly Dictionary<string, string?> settings;

    /// <param name="settings">The storage settings (<see cref="BenchDatabase.Settings"/>) and any other configuration
    /// of this benchmark; they override the defaults set here.</param>
    public BenchGateway(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        this.settings = new()
        {
            ["Waymark:Bootstrap:WriteKey"] = WriteKey,
            ["Waymark:Bootstrap:AdminKey"] = AdminKey,
            ["Waymark:Silo:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = "0",
            ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // loopback only, also when PostgreSQL clustering is on
            // The gateway logs as configured, only to stderr: stdout carries the results.
            ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
        };
        foreach (var (key, value) in settings)
        {
            this.settings[key] = value;
        }

        Port = FreePort.Next();
        this.UseKestrel(Port);
    }

    /// <summary>Waymark's business clock (<c>WaymarkClock</c>): real time until the benchmark moves it on.</summary>
    public BusinessClock Clock { get; } = new();

    /// <summary>The gateway's warnings and errors, counted.</summary>
    public LogTally Logs { get; } = new();

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Stops the gateway and its silo without waiting for them to finish their work: the benchmarks throw their
    /// data away, or start the next gateway on it knowing that a crash loses nothing acknowledged.</summary>
    public async Task StopAsync()
    {
        try
        {
            await DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The silo was still saving customers' snapshots at the shutdown timeout.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
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
