using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Ingestion;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Delivery;
using Waymark.GrainInterfaces.Inbox;

namespace Waymark.Gateway.Inbox;

/// <summary>
/// api.md §5: an app reads its user's in-app inbox with the workspace's write key (HTTP Basic, as
/// ingestion) plus the user's token. A missing or wrong token is 403 whether or not the user exists,
/// and the answer never depends on whether the inbox has messages; a user with none has an empty inbox.
/// </summary>
public static class InboxEndpoints
{
    /// <summary>The header carrying <c>hex(HMAC-SHA256(inboxSecret, userId))</c>.</summary>
    public const string UserTokenHeader = "Waymark-User-Token";

    public static IEndpointRouteBuilder MapInbox(this IEndpointRouteBuilder routes)
    {
        // The ingestion policy is the write key's: an API key of any role gets 403, no key 401.
        var inbox = routes.MapGroup("/v1/inbox/{userId}").WithTags("In-app inbox").RequireAuthorization(Policies.Ingest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        inbox.MapGet("", List).WithSummary("The user's in-app messages, newest first.");
        inbox.MapPost("/{messageId}/read", MarkRead).WithSummary("Mark one of the user's messages read.");
        return routes;
    }

    public sealed record InboxResponse(IReadOnlyList<InboxMessageResponse> Messages);

    public sealed record InboxMessageResponse(string Id, string? Title, string? Body, string? Url, string? Image, DateTimeOffset SentAt, bool Read);

    private static async Task<Results<Ok<InboxResponse>, ProblemHttpResult>> List(
        string userId, [FromHeader(Name = UserTokenHeader)] string? token, ClaimsPrincipal user, InboxTokens tokens, IGrainFactory grains)
    {
        if (await Refusal(userId, token, user, tokens) is { } refused)
        {
            return refused;
        }

        var items = await Inbox(grains, user, userId).List();
        return TypedResults.Ok(new InboxResponse([.. items.Select(i => new InboxMessageResponse(
            i.Message.Id, i.Message.Title, i.Message.Body, i.Message.Url, i.Message.Image, i.Message.SentAt, i.Read))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(
        string userId, string messageId, [FromHeader(Name = UserTokenHeader)] string? token, ClaimsPrincipal user, InboxTokens tokens, IGrainFactory grains)
    {
        if (await Refusal(userId, token, user, tokens) is { } refused)
        {
            return refused;
        }

        if (!await Inbox(grains, user, userId).MarkRead(messageId))
        {
            return ApiProblems.NotFound($"No message '{messageId}' in this inbox.");
        }

        // Reading an in-app message is its open (counted once). Asked from here, not by the inbox grain, which a
        // customer's dispatch may be calling at the same moment: the two grains never wait on each other.
        await grains.GetGrain<IMessageFeedbackGrain>(0).Record(user.WorkspaceId(), messageId, MessageFeedback.Opened);
        return TypedResults.NoContent();
    }

    /// <summary>Null when the request may open the inbox. Ids no customer can have are refused before the token is checked.</summary>
    private static async ValueTask<ProblemHttpResult?> Refusal(string userId, string? token, ClaimsPrincipal user, InboxTokens tokens)
    {
        if (userId.Length > SegmentParser.MaxIdLength)
        {
            return ApiProblems.Invalid("userId", $"must be at most {SegmentParser.MaxIdLength} characters");
        }

        return await tokens.VerifyAsync(user.WorkspaceId(), userId, token)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The user token does not open this inbox.",
                detail: $"Send header {UserTokenHeader}: the hex HMAC-SHA256 of the user id under the workspace's inbox secret, computed by the app's backend.");
    }

    private static IInboxGrain Inbox(IGrainFactory grains, ClaimsPrincipal user, string userId) =>
        grains.GetGrain<IInboxGrain>(InboxKeys.Grain(user.WorkspaceId(), userId));
}
