using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>Registers the channels a silo delivers through, the registry that finds them and the silo's send pacer.</summary>
public static class DeliveryServices
{
    public static IServiceCollection AddWaymarkDelivery(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MessageChannels>();
        services.AddSingleton<ChannelSettingsCache>();
        services.AddSingleton<SendPacer>();
        services.AddSingleton<SendSlots>();
        services.AddKeyedSingleton<IMessageChannel, InboxChannel>(Channel.Inapp);
        services.AddWaymarkEmail();
        services.AddHttpClient(HttpChannel.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler(HttpDeliveryPipeline.Name, (pipeline, context) =>
                HttpDeliveryPipeline.Configure(pipeline, context.ServiceProvider.GetRequiredService<TimeProvider>()));
        foreach (var channel in (Channel[])[Channel.Webhook, Channel.Sms, Channel.Push])
        {
            services.AddKeyedSingleton<IMessageChannel>(channel, (provider, _) => new HttpChannel(
                channel,
                provider.GetRequiredService<IHttpClientFactory>(),
                provider.GetRequiredService<ChannelSettingsCache>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<HttpChannel>>()));
        }

        return services;
    }
}
