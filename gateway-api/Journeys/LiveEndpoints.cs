using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Streams;
using Waymark.Definitions;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Grains.Live;

namespace Waymark.Gateway.Journeys;

/// <summary>
/// api.md §3 <c>GET /api/journeys/{id}/live</c>: a journey's transitions as server-sent events, from the moment the
/// watcher subscribes. Each event is of type <c>transition</c> and its data the timeline item plus <c>customerId</c>,
/// as the silos publish it on the journey's stream (<see cref="LiveStreams"/>).
/// </summary>
public static class LiveEndpoints
{
    public const string EventType = "transition";

    /// <summary>Transitions a watcher may fall behind by; beyond that the oldest are dropped, as the view is best effort.</summary>
    private const int Backlog = 4096;

    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/journeys/{id}/live", Watch).WithTags("Journeys").RequireAuthorization(Policies.Read)
            .WithSummary("Watch a journey's transitions as server-sent events of type 'transition': each the timeline item plus customerId, from now on.");
        return routes;
    }

    private static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> Watch(
        string id, ClaimsPrincipal user, IClusterClient cluster, HttpContext http)
    {
        var workspace = user.WorkspaceId();
        if (!DefinitionIds.IsValid(id) || await cluster.GetGrain<IJourneyGrain>(DefinitionKeys.Of(workspace, id)).Describe() is null)
        {
            return ApiProblems.NotFound($"No journey '{id}' in this workspace.");
        }

        var stream = cluster.GetStreamProvider(LiveStreams.ProviderName).GetStream<string>(LiveStreams.Of(workspace, id));
        return TypedResults.ServerSentEvents(Transitions(stream, http.Response, http.RequestAborted));
    }

    /// <summary>
    /// Subscribes when the response starts and unsubscribes when it ends, however it ends (the client leaving aborts
    /// the request), so no subscription outlives its watcher. The stream's deliveries only enqueue, so a slow watcher
    /// never holds up the silo delivering to it.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> Transitions(
        IAsyncStream<string> stream, HttpResponse response, [EnumeratorCancellation] CancellationToken aborted)
    {
        var backlog = Channel.CreateBounded<string>(new BoundedChannelOptions(Backlog)
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest,
        });
        var subscription = await stream.SubscribeAsync(batch =>
        {
            foreach (var item in batch)
            {
                backlog.Writer.TryWrite(item.Item);
            }

            return Task.CompletedTask;
        });
        try
        {
            // The headers go out once the subscription stands, so a watcher that has them sees every later transition.
            await response.Body.FlushAsync(aborted);
            while (await WaitToRead(backlog.Reader, aborted))
            {
                while (backlog.Reader.TryRead(out var item))
                {
                    yield return new SseItem<string>(item, EventType);
                }
            }
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }

    /// <summary>False once the watcher has gone: the stream of events then simply ends.</summary>
    private static async Task<bool> WaitToRead(ChannelReader<string> reader, CancellationToken aborted)
    {
        try
        {
            return await reader.WaitToReadAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return false;
        }
    }
}
