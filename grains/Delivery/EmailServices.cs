using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Waymark.Definitions.Templates;

namespace Waymark.Grains.Delivery;

/// <summary>Registers the <c>email</c> channel and the unsubscribe links it puts in every message.</summary>
public static class EmailServices
{
    public static IServiceCollection AddWaymarkEmail(this IServiceCollection services)
    {
        services.AddOptions<PublicLinkOptions>()
            .Configure<IConfiguration>((options, configuration) => options.BaseUrl = PublicLinkOptions.BaseUrlFrom(configuration))
            .Validate(options => options.BaseUrl is not null, "Waymark:PublicBaseUrl must be an absolute http or https URL without query or fragment.")
            .ValidateOnStart();
        services.TryAddSingleton<TrackingKeys>();
        services.TryAddSingleton<TrackingLinks>();
        services.AddKeyedSingleton<IMessageChannel, EmailChannel>(Channel.Email);
        return services;
    }
}
