using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Waymark.Testing;

namespace Waymark.Gateway.Tests;

/// <summary>
/// The real gateway, hosting its own silo on a SQLite file, as the README's run command starts it;
/// only the HTTP transport is in-memory.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? extraServices;

    /// <param name="extraServices">Registrations that replace the gateway's own (a fake clock, a recording channel).</param>
    public GatewayHost(string dataDirectory, IReadOnlyDictionary<string, string?>? extraSettings = null, Action<IServiceCollection>? extraServices = null)
    {
        this.extraServices = extraServices;
        DataFile = Path.Combine(dataDirectory, "waymark.db");
        settings = new()
        {
            ["Waymark:Storage:Path"] = DataFile,
            ["Waymark:Silo:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Waymark:Silo:GatewayPort"] = "0",
            ["Waymark:Silo:AdvertisedAddress"] = "127.0.0.1", // on a server database the silo joins ADO.NET clustering: loopback only
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
    }

    public string DataFile { get; }

    public CapturedLogs Logs { get; } = new();

    public string KeysFile => Path.Combine(Path.GetDirectoryName(DataFile)!, "bootstrap-keys.txt");

    /// <summary>The bootstrap keys of the default workspace, read from the file a first start writes.</summary>
    public (string WriteKey, string AdminKey) BootstrapKeys()
    {
        StartServer(); // the first start writes the file
        var lines = File.ReadAllLines(KeysFile).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return (lines["WriteKey"], lines["AdminKey"]);
    }

    public HttpClient ClientWithBearer(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient ClientWithBasic(string user, string password)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production"); // what users run: no developer exception page, no Development defaults
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddLogging(logging => logging.AddProvider(Logs));
            extraServices?.Invoke(services);
        });
    }
}
