using System.Globalization;
using System.Net;

namespace Waymark.Testing;

/// <summary>
/// The gateway as users run it: a child process (<c>dotnet Waymark.Gateway.dll</c>) configured through environment
/// variables, which a test can kill hard (SIGKILL of the whole process tree: no shutdown hooks, no flushes) and start
/// again on the same database. Every start uses the same HTTP address, so clients simply retry, and by default the same
/// silo ports: on a server database a silo that restarts at the same address with a newer generation declares its
/// killed predecessor's membership entry dead at once, while a silo at a new address (<see cref="SiloMovesOnRestart"/>)
/// first validates connectivity with every silo the table lists as active, so it waits for the dead one's entry to
/// go stale. Everything the process writes to stdout and stderr is kept, start by start, for failure messages
/// (<see cref="WaymarkProcess.Tail"/>). A start is ready when <c>/health/ready</c> answers 200.
/// </summary>
public sealed class GatewayProcess : WaymarkProcess
{
    /// <summary>Shared by every gateway: a killed process's pooled connection fails one check, and the next connects anew.</summary>
    private static readonly HttpClient Readiness = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <param name="gatewayDll">The gateway's entry assembly, beside its runtimeconfig.json and deps.json (a referencing project's bin folder has both).</param>
    /// <param name="settings">Configuration keys as the README names them (<c>Waymark:Storage:Provider</c>); they become environment variables (<c>__</c> for <c>:</c>).</param>
    public GatewayProcess(string gatewayDll, IReadOnlyDictionary<string, string?> settings)
        : base(gatewayDll, settings)
    {
        Port = FreePort.Next();
        SiloPort = FreePort.Next();
        SiloGatewayPort = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Where the gateway listens, the same for every start.</summary>
    public Uri BaseAddress { get; }

    public int Port { get; }

    /// <summary>The silo's silo-to-silo port (<c>Waymark:Silo:SiloPort</c>) of the current or next start.</summary>
    public int SiloPort { get; private set; }

    /// <summary>The silo's port for Orleans clients (<c>Waymark:Silo:GatewayPort</c>) of the current or next start.</summary>
    public int SiloGatewayPort { get; private set; }

    /// <summary>
    /// Whether every start after the first takes new silo ports, as a process rescheduled elsewhere comes back at a new
    /// address; off by default, as a restarted process on the same machine keeps its configured ports.
    /// </summary>
    public bool SiloMovesOnRestart { get; init; }

    protected override string Name => "gateway";

    protected override void BeforeStart(int startsBefore)
    {
        if (startsBefore > 0 && SiloMovesOnRestart)
        {
            (SiloPort, SiloGatewayPort) = (FreePort.Next(), FreePort.Next());
        }
    }

    protected override IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("ASPNETCORE_ENVIRONMENT", "Production"),
        new("ASPNETCORE_URLS", BaseAddress.ToString().TrimEnd('/')),
        new("Waymark__Silo__SiloPort", SiloPort.ToString(CultureInfo.InvariantCulture)),
        new("Waymark__Silo__GatewayPort", SiloGatewayPort.ToString(CultureInfo.InvariantCulture)),
        new("Waymark__Silo__AdvertisedAddress", "127.0.0.1"),
    ];

    protected override string Describe() => $"silo port {SiloPort}";

    protected override async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await Readiness.GetAsync(new Uri(BaseAddress, "/health/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false; // not listening yet
        }
    }
}
