using Microsoft.Extensions.Options;
using Waymark.Storage;

namespace Waymark.Gateway.Workspaces;

internal static class WorkspacesSetup
{
    /// <summary>Call after the cluster is added: the bootstrap needs a running silo or a connected client.</summary>
    public static IHostApplicationBuilder AddWorkspaceBootstrap(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();
        builder.Services.AddHostedService<WorkspaceBootstrap>();
        return builder;
    }
}
