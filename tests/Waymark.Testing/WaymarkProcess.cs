using System.Diagnostics;

namespace Waymark.Testing;

/// <summary>
/// A Waymark process as users run it: a child process (<c>dotnet X.dll</c>) configured through environment variables,
/// which a test can kill hard (SIGKILL of the whole process tree: no shutdown hooks, no flushes) and start again with the
/// same settings. Everything the process writes to stdout and stderr is kept, start by start, for failure messages
/// (<see cref="Tail"/>). <see cref="GatewayProcess"/> and <see cref="SiloProcess"/> say what ready means for each.
/// </summary>
public abstract class WaymarkProcess : IAsyncDisposable
{
    private const int KeptLines = 20_000;

    private readonly string entryDll;
    private readonly Dictionary<string, string?> settings;
    private readonly Queue<string> output = new();
    private readonly Lock outputLock = new();
    private readonly List<string> events = [];
    private Process? process;

    /// <param name="entryDll">The process's entry assembly, beside its runtimeconfig.json and deps.json (a referencing project's bin folder has both).</param>
    /// <param name="settings">Configuration keys as the README names them (<c>Waymark:Storage:Provider</c>); they become environment variables (<c>__</c> for <c>:</c>).</param>
    protected WaymarkProcess(string entryDll, IReadOnlyDictionary<string, string?> settings)
    {
        this.entryDll = entryDll;
        this.settings = new(settings);
    }

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

    /// <summary>What the process is, for messages: "gateway", "silo 2".</summary>
    protected abstract string Name { get; }

    /// <summary>Starts the process and waits until it is ready (<see cref="IsReadyAsync"/>); returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(TimeSpan? readyWithin = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"The {Name} process is already running.");
        }

        var clock = Stopwatch.StartNew();
        BeforeStart(Starts);
        Starts++;
        var start = new ProcessStartInfo(DotnetHost(), [entryDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(entryDll)!,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        start.Environment["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        foreach (var (key, value) in Environment())
        {
            start.Environment[key] = value;
        }

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
        Record($"start {number}: pid {started.Id}, {Describe()}");

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

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Called before start number <paramref name="startsBefore"/> + 1, to change what the next start is given.</summary>
    protected virtual void BeforeStart(int startsBefore)
    {
    }

    /// <summary>The environment variables of the next start, besides the settings (which win).</summary>
    protected abstract IEnumerable<KeyValuePair<string, string>> Environment();

    /// <summary>What the start record says of the next start, such as its ports.</summary>
    protected abstract string Describe();

    /// <summary>Whether the current start, number <see cref="Starts"/>, is ready; asked every 100 ms while it runs.</summary>
    protected abstract Task<bool> IsReadyAsync();

    /// <summary>Sees each line start number <paramref name="start"/> writes, as it comes.</summary>
    protected virtual void OnOutput(int start, string line)
    {
    }

    private async Task WaitReadyAsync(Process started, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"The {Name} process exited with code {started.ExitCode} before it was ready.\n{Tail()}");
            }

            if (await IsReadyAsync())
            {
                return;
            }

            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"The {Name} process was not ready within {within}.\n{Tail()}");
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

        OnOutput(start, line);
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
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
