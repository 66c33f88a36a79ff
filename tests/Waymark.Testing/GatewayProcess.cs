using System.Diagnostics;
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
/// (<see cref="Tail"/>).
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private const int KeptLines = 20_000;

    private readonly string gatewayDll;
    private readonly Dictionary<string, string?> settings;
    private readonly Queue<string> output = new();
    private readonly Lock outputLock = new();
    private readonly List<string> events = [];
    private Process? process;

    /// <param name="gatewayDll">The gateway's entry assembly, beside its runtimeconfig.json and deps.json (a referencing project's bin folder has both).</param>
    /// <param name="settings">Configuration keys as the README names them (<c>Waymark:Storage:Provider</c>); they become environment variables (<c>__</c> for <c>:</c>).</param>
    public GatewayProcess(string gatewayDll, IReadOnlyDictionary<string, string?> settings)
    {
        this.gatewayDll = gatewayDll;
        this.settings = new(settings);
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

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>Whether the current process is running.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Starts, kills and readiness, each with the time it happened (for failure messages).</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (outputLock)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan? readyWithin = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The gateway process is already running.");
        }

        var clock = Stopwatch.StartNew();
        if (Starts > 0 && SiloMovesOnRestart)
        {
            (SiloPort, SiloGatewayPort) = (FreePort.Next(), FreePort.Next());
        }

        Starts++;
        var start = new ProcessStartInfo(DotnetHost(), [gatewayDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["Waymark__Silo__SiloPort"] = SiloPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Waymark__Silo__GatewayPort"] = SiloGatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Waymark__Silo__AdvertisedAddress"] = "127.0.0.1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var started = new Process { StartInfo = start, EnableRaisingEvents = true };
        var number = Starts;
        started.OutputDataReceived += (_, line) => Keep(number, line.Data);
        started.ErrorDataReceived += (_, line) => Keep(number, "stderr: " + line.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        Record($"start {number}: pid {started.Id}, silo port {SiloPort}");

        await WaitReadyAsync(started, readyWithin ?? TimeSpan.FromSeconds(90));
        Record($"start {number}: ready after {clock.Elapsed.TotalSeconds:F1} s");
        return clock.Elapsed;
    }

    /// <summary>Kills the process and all its children at once (SIGKILL), as a power cut or the OOM killer would, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (process is not { } running)
        {
            return;
        }

        try
        {
            running.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        await running.WaitForExitAsync();
        Record($"killed pid {running.Id} (exit code {running.ExitCode})");
        running.Dispose();
        process = null;
    }

    /// <summary>Kills the process hard and starts it again on the same settings and database; returns how long the new start took to be ready.</summary>
    public async Task<TimeSpan> RestartAsync(TimeSpan? readyWithin = null)
    {
        await KillAsync();
        return await StartAsync(readyWithin);
    }

    /// <summary>
    /// The last <paramref name="lines"/> lines the process wrote (over all its starts, each cut at 1000 characters),
    /// after the starts and kills, for failure messages.
    /// </summary>
    public string Tail(int lines = 60)
    {
        lock (outputLock)
        {
            var last = output.Skip(Math.Max(0, output.Count - lines)).Select(l => l.Length <= 1000 ? l : l[..1000] + "…");
            return string.Join('\n', events) + "\n--- last output ---\n" + string.Join('\n', last);
        }
    }

    /// <summary>Every kept line the process wrote, oldest first.</summary>
    public IReadOnlyList<string> Output()
    {
        lock (outputLock)
        {
            return [.. output];
        }
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private async Task WaitReadyAsync(Process started, TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"The gateway process exited with code {started.ExitCode} before it was ready.\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"The gateway process was not ready within {within}.\n{Tail()}");
            }

            await Task.Delay(100);
        }
    }

    private void Keep(int start, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputLock)
        {
            output.Enqueue($"[{start}] {line}");
            if (output.Count > KeptLines)
            {
                output.Dequeue();
            }
        }
    }

    private void Record(string what)
    {
        lock (outputLock)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {what}";
            events.Add(line);
            output.Enqueue("### " + line);
        }
    }

    /// <summary>The dotnet host running this process (the SDK sets DOTNET_HOST_PATH for its children), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
