namespace Waymark.Gateway.Auth;

internal static class AuthSetup
{
    public static IHostApplicationBuilder AddWaymarkAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<AccessKeyResolver>();
        builder.Services.AddAuthentication(AccessKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AccessKeyAuthentication>(AccessKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddWaymarkPolicies();
        return builder;
    }
}
