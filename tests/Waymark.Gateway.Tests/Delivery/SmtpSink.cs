using System.Diagnostics;
using System.Globalization;
using System.Text;
using MimeKit;
using Waymark.Testing;

namespace Waymark.Gateway.Tests.Delivery;

/// <summary>
/// A real SMTP server on a free loopback port: <c>scripts/smtp-sink</c> (aiosmtpd, Debian's <c>python3-aiosmtpd</c>, which
/// <c>.ci/run</c> installs) run as a child process, keeping every message it accepts as a file. A recipient whose local
/// part starts with <c>reject</c> gets 550, one starting with <c>later</c> gets 451; with a user and password it requires
/// AUTH. The process ends when this is disposed, and by itself when the test process dies (its stdin closes).
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private readonly ScratchDirectory folder = new();
    private readonly StringBuilder errors = new();
    private Process? process;

    private SmtpSink(int port) => Port = port;

    public int Port { get; }

    public string MailDirectory => folder.Path;

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public static async Task<SmtpSink> StartAsync(string? user = null, string? password = null)
    {
        var sink = new SmtpSink(FreePort.Next());
        try
        {
            await sink.RunAsync(user, password);
            return sink;
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every message received so far, in arrival order, with the envelope recipients the server accepted.</summary>
    public IReadOnlyList<ReceivedEmail> Received()
    {
        var received = new List<ReceivedEmail>();
        foreach (var file in Directory.GetFiles(folder.Path, "*.eml").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            var message = MimeMessage.Load(stream);
            var recipients = message.Headers.Where(h => h.Field == "X-Sink-Rcpt").Select(h => h.Value.Trim()).ToList();
            received.Add(new ReceivedEmail(recipients, message));
        }

        return received;
    }

    /// <summary>The messages received for <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received().Where(r => r.Recipients.Contains(address, StringComparer.OrdinalIgnoreCase)).Select(r => r.Message)];

    public async ValueTask DisposeAsync()
    {
        if (process is { } running)
        {
            try
            {
                running.StandardInput.Close(); // the sink stops when its stdin closes
                using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await running.WaitForExitAsync(exited.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                running.Kill(entireProcessTree: true);
            }

            running.Dispose();
        }

        folder.Dispose();
    }

    private async Task RunAsync(string? user, string? password)
    {
        var start = new ProcessStartInfo(Python(), [Script(), "--port", Port.ToString(CultureInfo.InvariantCulture), "--maildir", folder.Path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(password ?? "");
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith("smtp-sink listening", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"scripts/smtp-sink exited: {Errors()}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private string Errors()
    {
        lock (errors)
        {
            var text = errors.ToString();
            return text.Contains("aiosmtpd", StringComparison.Ordinal)
                ? text + " (install Debian's python3-aiosmtpd, as .ci/run does)"
                : text;
        }
    }

    /// <summary>Debian's Python, where <c>python3-aiosmtpd</c> installs (a pyenv or venv <c>python3</c> first on PATH lacks it); <c>WAYMARK_TEST_PYTHON</c> overrides.</summary>
    private static string Python() =>
        Environment.GetEnvironmentVariable("WAYMARK_TEST_PYTHON") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3"
        : "python3";

    private static string Script()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Orleans.sln")))
            {
                return Path.Combine(folder.FullName, "scripts", "smtp-sink");
            }
        }

        throw new InvalidOperationException($"No Orleans.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A message as the SMTP server received it, with the envelope recipients it accepted.</summary>
internal sealed record ReceivedEmail(IReadOnlyList<string> Recipients, MimeMessage Message);
