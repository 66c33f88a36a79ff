using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Security;

/// <summary>
/// One single-node gateway holding two seeded workspaces: <see cref="Alpha"/>, the bootstrap workspace <c>default</c>
/// (its admin is the deployment's operator), and <see cref="Beta"/>, a tenant its admin created. Every log line of every
/// category is captured at Trace, and every secret the drill meets is registered, so a test can grep the one for the other.
/// </summary>
public sealed class TwoWorkspaces : IAsyncLifetime
{
    private readonly ScratchDirectory data = new();
    private readonly Dictionary<string, string> secrets = [];

    public GatewayHost Host { get; private set; } = null!;

    internal Tenant Alpha { get; private set; } = null!;

    internal Tenant Beta { get; private set; } = null!;

    /// <summary>The embedded silo, as the dashboard's silo pages name it.</summary>
    public string SiloAddress { get; private set; } = "";

    /// <summary>Every secret met so far by what it is: the tenants' (their keys, inbox, tracking and channel secrets, user
    /// tokens) and any a probe sent or was given.</summary>
    public IReadOnlyDictionary<string, string> Secrets => secrets;

    public async Task InitializeAsync()
    {
        Host = new GatewayHost(data.Path, new Dictionary<string, string?>
        {
            // Only the capturing provider goes down to Trace; the console keeps the gateway's own levels.
            [$"Logging:{typeof(CapturedLogs).FullName}:LogLevel:Default"] = "Trace",
        });
        var (writeKey, adminKey) = Host.BootstrapKeys();
        SiloAddress = Host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        Alpha = await Tenant.SeedAsync(Host, "default", "alpha", writeKey, adminKey, secrets);

        var betaId = $"beta-{Guid.NewGuid():N}"[..16];
        var created = await Tenant.Expect(await Alpha.Admin.PostAsJsonAsync("/api/workspaces", new { id = betaId }), HttpStatusCode.Created);
        Beta = await Tenant.SeedAsync(Host, betaId, "beta", created.GetProperty("writeKey").GetString()!, created.GetProperty("adminKey").GetString()!, secrets);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        data.Dispose();
    }

    public void Remember(string what, string secret) => secrets[what] = secret;

    /// <summary>A secret for a probe to send, remembered so that no log and no later answer may show it.</summary>
    public string NewSecret(string what)
    {
        var secret = $"probe-secret-{Guid.NewGuid():N}";
        Remember(what, secret);
        return secret;
    }

    /// <summary>Remembers the secrets an answer hands out once (a new key, a new workspace's keys and inbox secret).</summary>
    public void RememberIssued(string what, JsonElement body)
    {
        foreach (var field in new[] { "key", "adminKey", "writeKey", "inboxSecret" })
        {
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(field, out var value) && value.GetString() is { } secret)
            {
                Remember($"{field} issued to {what}", secret);
            }
        }
    }

    /// <summary>Fails naming each secret met so far that a captured log line contains, with that line (the secret masked).</summary>
    public void AssertNoSecretLogged()
    {
        var lines = Host.Logs.Lines.ToArray();
        // The capture reaches the finest levels of Orleans and of ASP.NET Core.
        Assert.Contains(lines, l => l.StartsWith("Trace Orleans", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug Microsoft.AspNetCore", StringComparison.Ordinal));
        var logged = secrets
            .Select(s => (What: s.Key, Secret: s.Value, Line: Array.Find(lines, l => l.Contains(s.Value, StringComparison.Ordinal))))
            .Where(s => s.Line is not null)
            .Select(s => $"{s.What} in: {s.Line!.Replace(s.Secret, "<secret>", StringComparison.Ordinal)}")
            .ToList();
        Assert.True(logged.Count == 0, $"{logged.Count} of {secrets.Count} secrets are in the {lines.Length} log lines:\n{string.Join("\n", logged)}");
    }
}
