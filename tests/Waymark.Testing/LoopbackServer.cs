using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Waymark.Testing;

/// <summary>
/// A real HTTP server on a free loopback port (Kestrel, no logging) that answers every request with one handler: what
/// tests and drills stand up as a webhook receiver or a provider, so Waymark's deliveries cross a real socket.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackServer(int port, RequestDelegate handle)
    {
        Port = port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        app = builder.Build();
        app.Run(handle);
    }

    public int Port { get; }

    /// <summary>The address of <paramref name="path"/> on this server.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}{path}");

    /// <summary>Starts a server that hands every request to <paramref name="handle"/>; it listens when this returns.</summary>
    public static async Task<LoopbackServer> StartAsync(RequestDelegate handle)
    {
        var server = new LoopbackServer(FreePort.Next(), handle);
        await server.app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
