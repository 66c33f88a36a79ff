namespace Waymark.Gateway.Inbox;

internal static class InboxSetup
{
    public static IHostApplicationBuilder AddWaymarkInbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<InboxTokens>();
        return builder;
    }
}
