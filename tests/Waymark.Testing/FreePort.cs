using System.Net;
using System.Net.Sockets;

namespace Waymark.Testing;

/// <summary>Ports no other listener holds right now, so test hosts can run side by side.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
