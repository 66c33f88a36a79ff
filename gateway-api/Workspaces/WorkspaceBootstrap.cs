using System.Globalization;
using Microsoft.Extensions.Options;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Model.Time;
using Waymark.Storage;

namespace Waymark.Gateway.Workspaces;

/// <summary>
/// Makes sure the <c>default</c> workspace exists before the gateway serves requests (it is registered
/// after Orleans, and hosted services start in order, the web server last). Configured keys are
/// imported idempotently; otherwise a single node writes generated keys to <c>bootstrap-keys.txt</c>.
/// </summary>
internal sealed partial class WorkspaceBootstrap(
    IGrainFactory grains,
    IOptions<BootstrapOptions> options,
    WaymarkDatabase database,
    WaymarkClock clock,
    ILogger<WorkspaceBootstrap> logger) : IHostedService
{
    public const string KeysFileName = "bootstrap-keys.txt";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var workspace = grains.GetGrain<IWorkspaceGrain>(BootstrapOptions.Workspace);
        var configured = options.Value;
        if (configured.Configured)
        {
            if (await workspace.Create(configured.WriteKey, configured.AdminKey) is null)
            {
                await workspace.ImportKey(AccessRole.Write, "bootstrap write", configured.WriteKey!);
                await workspace.ImportKey(AccessRole.Admin, "bootstrap admin", configured.AdminKey!);
            }

            LogConfiguredKeys(BootstrapOptions.Workspace);
            return;
        }

        if (await workspace.Describe() is not null)
        {
            return;
        }

        // The file is written before the workspace exists: a crash in between only means new keys next start.
        var (writeKey, adminKey) = (KeySecrets.WriteKey(), KeySecrets.ApiKey());
        var file = await WriteKeysFile(writeKey, adminKey, cancellationToken);
        _ = await workspace.Create(writeKey, adminKey)
            ?? throw new InvalidOperationException("The default workspace appeared while bootstrapping.");
        LogGeneratedKeys(BootstrapOptions.Workspace, file);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Written readable by its owner only: it holds the admin key.</summary>
    private async Task<string> WriteKeysFile(string writeKey, string adminKey, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(database.SqliteFilePath) ?? Directory.GetCurrentDirectory();
        var path = Path.Combine(directory, KeysFileName);
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            # Waymark keys of workspace "{BootstrapOptions.Workspace}", generated {clock.GetUtcNow():O}.
            # Send the write key as HTTP Basic user name to /v1/*, the admin key as 'Authorization: Bearer <key>' to /api/*.
            WriteKey={writeKey}
            AdminKey={adminKey}

            """);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = ownerOnly;
        }

        await using (var writer = new StreamWriter(path, fileOptions))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to new files; an old file keeps its mode unless we set it.
            File.SetUnixFileMode(path, ownerOnly);
        }

        return path;
    }

    [LoggerMessage(LogLevel.Information, "Workspace {Workspace} uses the keys given in configuration.")]
    private partial void LogConfiguredKeys(string workspace);

    [LoggerMessage(LogLevel.Warning, "Created workspace {Workspace}; its keys are in {KeysFile} (readable by this user only).")]
    private partial void LogGeneratedKeys(string workspace, string keysFile);
}
