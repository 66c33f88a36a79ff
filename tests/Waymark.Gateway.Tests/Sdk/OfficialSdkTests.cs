using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Waymark.Gateway.Tests.Customers;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Sdk;

/// <summary>
/// api.md §1's promise that real SDKs work unchanged: the official Segment and RudderStack Node SDKs, from
/// <c>tests/sdk</c>, send a customer's story to the real gateway over a real socket, and every call must be
/// on the customer afterwards.
/// </summary>
public sealed class OfficialSdkTests(OfficialSdkRun run) : IClassFixture<OfficialSdkRun>
{
    [Theory]
    [InlineData("segment")]
    [InlineData("rudder")]
    public async Task The_official_node_SDK_delivers_every_call_to_the_customer(string sdk)
    {
        Assert.True(run.ExitCode == 0, $"send-events.mjs exited with {run.ExitCode}:\n{run.Report()}");
        var segment = new Segment(run.Host, OfficialSdkRun.WriteKey, OfficialSdkRun.AdminKey);
        var (anonymousId, userId) = ($"{sdk}-{run.RunId}-anon", $"{sdk}-{run.RunId}-user");
        var email = $"{sdk}-{run.RunId}@example.com";

        var customer = await segment.Customer(userId);
        Assert.Equal(userId, customer.GetProperty("id").GetString());
        var traits = customer.GetProperty("traits");
        Assert.Equal([$"Ada {sdk}", email, "pro"], new[] { "name", "email", "plan" }.Select(t => traits.GetProperty(t).GetString()));
        Assert.Contains(email, Segment.Strings(customer.GetProperty("identities").GetProperty("email")));

        // alias: the anonymous profile of the first call was merged into the user, and its id now answers the user.
        Assert.Contains(anonymousId, Segment.Strings(customer.GetProperty("identities").GetProperty("anonymousIds")));
        Assert.Contains(anonymousId, Segment.Strings(customer.GetProperty("mergedFrom")));
        Assert.Equal(userId, (await segment.Customer(anonymousId)).GetProperty("id").GetString());

        // Each call exactly once: an SDK retry that was stored twice would show here.
        var timeline = (await segment.Timeline(userId)).Where(i => i.GetProperty("kind").GetString() == "event").ToList();
        Assert.Equal(
            ["Order Completed", "Product Viewed", "alias", "group", "identify", "page_viewed", "screen_viewed"],
            timeline.Select(i => i.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var events = timeline.ToDictionary(i => i.GetProperty("name").GetString()!);

        Assert.Equal("sku-1", Property(events, "Product Viewed", "sku"));
        Assert.Equal($"o-{sdk}", Property(events, "Order Completed", "orderId"));
        Assert.Equal(120, events["Order Completed"].GetProperty("properties").GetProperty("amount").GetInt32());
        Assert.Equal(["Pricing", "Docs", "/pricing"], new[] { "name", "category", "path" }.Select(p => Property(events, "page_viewed", p)));
        Assert.Equal("Cart", Property(events, "screen_viewed", "name"));

        // group: stored on the customer under its id, with the group's traits.
        var group = customer.GetProperty("groups").GetProperty($"{sdk}-{run.RunId}-group");
        Assert.Equal(("Acme", 42), (group.GetProperty("name").GetString(), group.GetProperty("employees").GetInt32()));
    }

    private static string? Property(Dictionary<string, JsonElement> events, string name, string property) =>
        events[name].GetProperty("properties").GetProperty(property).GetString();
}

/// <summary>One gateway on Kestrel and one run of <c>tests/sdk/send-events.mjs</c> against it, shared by the tests.</summary>
public sealed class OfficialSdkRun : IAsyncLifetime
{
    public const string WriteKey = "sdk-tests-write-key-0001";
    public const string AdminKey = "sdk-tests-admin-key-0001";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    private readonly ScratchDirectory data = new();

    public GatewayHost Host { get; }

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..12];

    public int ExitCode { get; private set; }

    public string Output { get; private set; } = "";

    public OfficialSdkRun() => Host = new GatewayHost(data.Path, new Dictionary<string, string?>
    {
        ["Waymark:Bootstrap:WriteKey"] = WriteKey,
        ["Waymark:Bootstrap:AdminKey"] = AdminKey,
    });

    public async Task InitializeAsync()
    {
        var sdkFolder = Path.Combine(RepositoryRoot(), "tests", "sdk");
        if (!Directory.Exists(Path.Combine(sdkFolder, "node_modules")))
        {
            throw new InvalidOperationException(
                $"The official SDKs are not installed in {sdkFolder}: run `npm ci --prefix tests/sdk` from the repository root (node 20+).");
        }

        var port = FreePort.Next();
        Host.UseKestrel(port);
        Host.StartServer();
        (ExitCode, Output) = await RunNode(sdkFolder, "send-events.mjs", $"http://127.0.0.1:{port}", WriteKey, RunId);
    }

    /// <summary>What the SDKs printed, then the gateway's warnings and errors: the two sides of a failed delivery.</summary>
    public string Report() =>
        $"{Output}\n--- gateway warnings and errors ---\n" +
        string.Join('\n', Host.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)));

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        data.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int ExitCode, string Output)> RunNode(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var node = StartOrExplain(start);
        var output = new StringBuilder();
        void Collect(object? sender, DataReceivedEventArgs line)
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(line.Data);
                }
            }
        }

        node.OutputDataReceived += Collect;
        node.ErrorDataReceived += Collect;
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
            lock (output)
            {
                return (-1, $"killed after {RunTimeout.TotalSeconds} s\n{output}");
            }
        }

        lock (output)
        {
            return (node.ExitCode, output.ToString());
        }
    }

    private static Process StartOrExplain(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("The SDK tests need `node` (20 or later) on PATH.", e);
        }
    }
}
