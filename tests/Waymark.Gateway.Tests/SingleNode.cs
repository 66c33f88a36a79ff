using Waymark.Testing;

namespace Waymark.Gateway.Tests;

/// <summary>One single-node gateway shared by the tests of a class, on its own scratch folder.</summary>
public sealed class SingleNode : IAsyncLifetime
{
    private readonly ScratchDirectory data = new();

    public GatewayHost Host { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public string WriteKey { get; private set; } = "";

    public Task InitializeAsync()
    {
        Host = new GatewayHost(data.Path);
        (WriteKey, AdminKey) = Host.BootstrapKeys();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        data.Dispose();
    }
}
