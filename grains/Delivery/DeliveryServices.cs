using Microsoft.Extensions.DependencyInjection;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>Registers the channels a silo delivers through and the registry that finds them.</summary>
public static class DeliveryServices
{
    public static IServiceCollection AddWaymarkDelivery(this IServiceCollection services)
    {
        services.AddSingleton<MessageChannels>();
        services.AddKeyedSingleton<IMessageChannel, InboxChannel>(Channel.Inapp);
        return services;
    }
}
