using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Definitions.Templates;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Grains.Delivery;

namespace Waymark.Gateway.Channels;

/// <summary>
/// api.md §5: the workspace's channel settings. Admins replace a channel's settings; any reader of <c>/api</c> sees
/// them without their secrets, which are never returned nor logged.
/// </summary>
public static class ChannelEndpoints
{
    public static IEndpointRouteBuilder MapChannels(this IEndpointRouteBuilder routes)
    {
        var channels = routes.MapGroup("/api/channels").WithTags("Channels");
        channels.MapGet("", List).RequireAuthorization(Policies.Read)
            .WithSummary("Every channel's settings, without secrets.");
        foreach (var kind in Enum.GetValues<HttpChannelKind>())
        {
            channels.MapPut("/" + NameOf(kind), (HttpChannelDocument document, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services) =>
                    PutHttp(kind, document, user, grains, services))
                .RequireAuthorization(Policies.Admin)
                .WithSummary($"Replace the {NameOf(kind)} channel's settings: {{ url, secret, ratePerSecond? }}.");
        }

        channels.MapPut("/email", PutEmail).RequireAuthorization(Policies.Admin)
            .WithSummary("Replace the email channel's settings: { host, port, tls, user, password, from, ratePerSecond? }.");
        channels.MapPut("/inapp", () => ApiProblems.Invalid("$", "the inapp channel needs no settings")).RequireAuthorization(Policies.Admin)
            .WithSummary("The in-app channel needs no settings: always 400.");
        channels.MapPut("/{channel}", (string channel) => ApiProblems.NotFound($"No channel '{channel}'; the channels are {string.Join(", ", ChannelFields.ChannelNames)}."))
            .RequireAuthorization(Policies.Admin)
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<Ok<ChannelsView>> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(ChannelsView.Of(await Workspace(grains, user).Channels()));

    private static async Task<Results<Ok<HttpChannelView>, ProblemHttpResult>> PutHttp(
        HttpChannelKind kind, HttpChannelDocument document, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services)
    {
        var (settings, errors) = document.Validate();
        if (settings is null)
        {
            return ApiProblems.Invalid(errors);
        }

        await Workspace(grains, user).SetHttpChannel(kind, settings);
        Forget(services, user);
        return TypedResults.Ok(HttpChannelView.Of(settings));
    }

    private static async Task<Results<Ok<EmailChannelView>, ProblemHttpResult>> PutEmail(
        EmailChannelDocument document, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services)
    {
        var (settings, errors) = document.Validate();
        if (settings is null)
        {
            return ApiProblems.Invalid(errors);
        }

        await Workspace(grains, user).SetEmailChannel(settings);
        Forget(services, user);
        return TypedResults.Ok(EmailChannelView.Of(settings));
    }

    /// <summary>A gateway that hosts a silo sends with the new settings at once; other silos within the cache's refresh period.</summary>
    private static void Forget(IServiceProvider services, ClaimsPrincipal user) =>
        services.GetService<ChannelSettingsCache>()?.Forget(user.WorkspaceId());

    private static string NameOf(HttpChannelKind kind) => kind switch
    {
        HttpChannelKind.Webhook => "webhook",
        HttpChannelKind.Sms => "sms",
        HttpChannelKind.Push => "push",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static IWorkspaceGrain Workspace(IGrainFactory grains, ClaimsPrincipal user) =>
        grains.GetGrain<IWorkspaceGrain>(user.WorkspaceId());
}
