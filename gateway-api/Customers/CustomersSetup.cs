using Microsoft.Extensions.DependencyInjection.Extensions;
using Waymark.Grains.Workspaces;

namespace Waymark.Gateway.Customers;

internal static class CustomersSetup
{
    public static IHostApplicationBuilder AddWaymarkCustomers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CustomerDirectory>();

        // An embedded silo registered it already; a client gateway needs its own.
        builder.Services.TryAddSingleton<WorkspaceSettingsCache>();
        return builder;
    }
}
