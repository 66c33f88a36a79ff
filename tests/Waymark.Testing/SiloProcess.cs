using System.Globalization;

namespace Waymark.Testing;

/// <summary>
/// A silo of a cluster as users run it: a child process (<c>dotnet Waymark.Silo.dll</c>) on a server database, which a
/// test can kill hard and start again at the same address (its ports are fixed at construction, so a restart declares
/// its killed predecessor dead at once). A start is ready when the host reports it started: the silo's hosted service
/// starts last and returns only once the silo is active in the cluster, its timer wheel's shards started.
/// </summary>
public sealed class SiloProcess : WaymarkProcess
{
    /// <summary>What the host logs once every hosted service has started (category <c>Microsoft.Hosting.Lifetime</c>).</summary>
    private const string StartedLine = "Application started";

    private readonly string name;
    private int readyStart;

    /// <param name="siloDll">The silo's entry assembly, beside its runtimeconfig.json and deps.json (a referencing project's bin folder has both).</param>
    /// <param name="settings">Configuration keys as the README names them (<c>Waymark:Storage:Provider</c>); they become environment variables (<c>__</c> for <c>:</c>).</param>
    /// <param name="name">What to call it in messages, such as "silo 1".</param>
    public SiloProcess(string siloDll, IReadOnlyDictionary<string, string?> settings, string name = "silo")
        : base(siloDll, settings)
    {
        this.name = name;
        SiloPort = FreePort.Next();
        GatewayPort = FreePort.Next();
    }

    /// <summary>The silo-to-silo port (<c>Waymark:Silo:SiloPort</c>), the same for every start; with the address 127.0.0.1 it names the silo in the cluster.</summary>
    public int SiloPort { get; }

    /// <summary>The port Orleans clients connect to (<c>Waymark:Silo:GatewayPort</c>), the same for every start.</summary>
    public int GatewayPort { get; }

    protected override string Name => name;

    protected override IEnumerable<KeyValuePair<string, string>> Environment() =>
    [
        new("Waymark__Silo__SiloPort", SiloPort.ToString(CultureInfo.InvariantCulture)),
        new("Waymark__Silo__GatewayPort", GatewayPort.ToString(CultureInfo.InvariantCulture)),
        new("Waymark__Silo__AdvertisedAddress", "127.0.0.1"),
        // The silo's settings file keeps Microsoft's categories at warnings; readiness is read from this one's information.
        new("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information"),
    ];

    protected override string Describe() => $"silo port {SiloPort}, gateway port {GatewayPort}";

    protected override Task<bool> IsReadyAsync() => Task.FromResult(Volatile.Read(ref readyStart) == Starts);

    protected override void OnOutput(int start, string line)
    {
        if (line.Contains(StartedLine, StringComparison.Ordinal))
        {
            Volatile.Write(ref readyStart, start);
        }
    }
}
