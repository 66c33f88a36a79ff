using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Delivery;

namespace Waymark.Gateway.Feedback;

/// <summary>
/// api.md §5, what comes back from a message: a receiver's events (<c>POST /v1/messages/{id}/events</c>, write key) and
/// the links in the message itself — a tracked link (<c>/c</c>), an email's open pixel (<c>/o</c>) and its unsubscribe
/// link (<c>/u</c>) — which need no key: their signed token is the credential, and names the message's customer.
/// </summary>
public static class FeedbackEndpoints
{
    /// <summary>Message ids are short hashes (<c>Waymark-Message-Id</c>); anything far longer is not one.</summary>
    private const int MaxMessageIdLength = 128;

    private static readonly Dictionary<string, MessageFeedback> Types = new(StringComparer.Ordinal)
    {
        ["delivered"] = MessageFeedback.Delivered,
        ["opened"] = MessageFeedback.Opened,
        ["clicked"] = MessageFeedback.Clicked,
        ["bounced"] = MessageFeedback.Bounced,
        ["unsubscribed"] = MessageFeedback.Unsubscribed,
    };

    /// <summary>A transparent 1×1 GIF.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/messages/{messageId}/events", Record).WithTags("Delivery feedback").RequireAuthorization(Policies.Ingest)
            .WithSummary("A receiver's event on a message: delivered, opened, clicked, bounced or unsubscribed; each type counts once per message.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var links = routes.MapGroup("").WithTags("Tracking links").AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound);
        links.MapGet("/c/{token}", Click).WithSummary("A tracked link: records the click and redirects (302) to the target.");
        links.MapGet("/o/{token}", Open).WithSummary("An email's open pixel: records the open, answers a 1×1 GIF.");
        links.MapGet("/u/{token}", Unsubscribe).WithSummary("Unsubscribes the customer from the message's channel's marketing; answers a page saying so.");
        links.MapPost("/u/{token}", OneClickUnsubscribe).DisableAntiforgery()
            .WithSummary("RFC 8058 one-click unsubscribe (List-Unsubscribe-Post), as GET without the page.");
        return routes;
    }

    /// <summary>The body of a receiver's event: <c>{"type": "delivered|opened|clicked|bounced|unsubscribed"}</c>.</summary>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record MessageEventDocument(string? Type);

    /// <summary>Whether the event counted: false when the message had one of its type already.</summary>
    public sealed record MessageEventResult(bool Counted);

    private static async Task<Results<Ok<MessageEventResult>, ProblemHttpResult>> Record(
        string messageId, MessageEventDocument document, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Types.TryGetValue(document.Type ?? "", out var feedback))
        {
            return ApiProblems.Invalid("$.type", $"must be one of {string.Join(", ", Types.Keys)}");
        }

        if (messageId.Length > MaxMessageIdLength)
        {
            return ApiProblems.Invalid("messageId", $"must be at most {MaxMessageIdLength} characters");
        }

        return await Feedback(grains).Record(user.WorkspaceId(), messageId, feedback) switch
        {
            FeedbackOutcome.Counted => TypedResults.Ok(new MessageEventResult(true)),
            FeedbackOutcome.Repeated => TypedResults.Ok(new MessageEventResult(false)),
            _ => ApiProblems.NotFound($"No sent message '{messageId}' in this workspace."),
        };
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Click(string token, IGrainFactory grains) =>
        await Feedback(grains).Click(token) is { } target ? TypedResults.Redirect(target) : UnknownLink();

    private static async Task<IResult> Open(string token, HttpContext http, IGrainFactory grains)
    {
        if (!await Feedback(grains).Open(token))
        {
            return UnknownLink();
        }

        // Every load should reach us (each open after the first counts nothing, but a cached pixel tells nothing at all).
        http.Response.Headers.CacheControl = "no-store, max-age=0";
        return TypedResults.Bytes(Pixel, "image/gif");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Unsubscribe(string token, IGrainFactory grains) =>
        await Feedback(grains).Unsubscribe(token)
            ? TypedResults.Content(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>"
                + "<body><p>You are unsubscribed: you will get no more marketing messages of this kind.</p></body></html>",
                "text/html; charset=utf-8")
            : UnknownLink();

    private static async Task<Results<Ok, ProblemHttpResult>> OneClickUnsubscribe(string token, IGrainFactory grains) =>
        await Feedback(grains).Unsubscribe(token) ? TypedResults.Ok() : UnknownLink();

    /// <summary>A token that is malformed, forged, of another purpose, or of a workspace that never signed one: all look alike.</summary>
    private static ProblemHttpResult UnknownLink() => ApiProblems.NotFound("This link is not one of ours, or it was altered.");

    /// <summary>A stateless worker: each call is served on the silo that takes it.</summary>
    private static IMessageFeedbackGrain Feedback(IGrainFactory grains) => grains.GetGrain<IMessageFeedbackGrain>(0);
}
