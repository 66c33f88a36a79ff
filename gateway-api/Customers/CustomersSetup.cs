namespace Waymark.Gateway.Customers;

internal static class CustomersSetup
{
    public static IHostApplicationBuilder AddWaymarkCustomers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CustomerDirectory>();
        return builder;
    }
}
