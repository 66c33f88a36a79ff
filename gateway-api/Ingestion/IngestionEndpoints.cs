using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Workspaces;
using Waymark.Model.Time;

namespace Waymark.Gateway.Ingestion;

/// <summary>
/// api.md §1: Segment's HTTP Tracking API. A request is answered 200 only once every one of its messages
/// is in its customer's durable log; a batch is accepted whole or not at all.
/// </summary>
public static class IngestionEndpoints
{
    /// <summary>The largest decompressed request (Segment's limit).</summary>
    public const int MaxRequestBytes = 500 * 1024;

    public static IEndpointRouteBuilder MapIngestion(this IEndpointRouteBuilder routes)
    {
        // Anonymous at the routing level: a write key may also come as the body's "writeKey" field.
        var v1 = routes.MapGroup("/v1").WithTags("Ingestion (Segment-compatible)").AllowAnonymous();
        Map(v1, "/identify", EventKind.Identify, "Identify a customer and set traits.");
        Map(v1, "/track", EventKind.Track, "Record an event.");
        Map(v1, "/page", EventKind.Page, "Record a page view (event page_viewed).");
        Map(v1, "/screen", EventKind.Screen, "Record a screen view (event screen_viewed).");
        Map(v1, "/group", EventKind.Group, "Associate the customer with a group and its traits.");
        Map(v1, "/alias", EventKind.Alias, "Merge a previous id into a user id.");
        Map(v1, "/batch", null, "Send many messages of any type at once.");
        return routes;
    }

    private static void Map(RouteGroupBuilder group, string path, EventKind? call, string summary) =>
        group.MapPost(path, (HttpContext http, IGrainFactory grains, AccessKeyResolver keys, WaymarkClock clock) =>
                Ingest(http, call, grains, keys, clock))
            // Segment SDKs send JSON under various content types; "*/*" keeps routing from refusing any of them.
            .Accepts<JsonObject>("application/json", "*/*")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary(summary);

    private static async Task<IResult> Ingest(HttpContext http, EventKind? call, IGrainFactory grains, AccessKeyResolver keys, WaymarkClock clock)
    {
        if (http.Request.Headers.Authorization.Count > 0 && http.User.Identity?.IsAuthenticated != true)
        {
            return Unauthorized(http);
        }

        var (outcome, body) = await RequestBody.ReadAsync(http.Request, MaxRequestBytes, http.RequestAborted);
        if (outcome == RequestBody.Outcome.TooLarge)
        {
            return TooLarge([new FieldError("$", $"the request is larger than {MaxRequestBytes / 1024} KB once decompressed")]);
        }

        if (outcome == RequestBody.Outcome.BadEncoding)
        {
            return ApiProblems.Invalid("$", "the body is not valid for its Content-Encoding (only gzip is supported)");
        }

        var parsed = SegmentParser.Parse(body, call, clock.GetUtcNow());
        if (await Caller(http, parsed.WriteKey, keys) is not { } caller)
        {
            return Unauthorized(http);
        }

        if (!caller.IsWriteKey)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Ingestion takes a write key.",
                detail: "Send the workspace's write key as the HTTP Basic user name.");
        }

        if (parsed.TooLarge)
        {
            return TooLarge(parsed.Errors);
        }

        if (!parsed.Errors.IsEmpty)
        {
            return ApiProblems.Invalid(parsed.Errors);
        }

        await Task.WhenAll(parsed.Messages
            .GroupBy(TargetCustomer)
            .Select(g => grains.GetGrain<ICustomerGrain>(CustomerKeys.Grain(caller.Workspace, g.Key)).Ingest([.. g])));
        return TypedResults.Ok(new { success = true });
    }

    /// <summary>A message goes to its user when it names one (identify with both ids merges the anonymous profile there).</summary>
    private static string TargetCustomer(CustomerEvent message) =>
        message.UserId is { } userId ? CustomerKeys.User(userId) : CustomerKeys.Anonymous(message.AnonymousId!);

    /// <summary>Who sends: the key of the Authorization header, else the body's writeKey.</summary>
    private static async ValueTask<(string Workspace, bool IsWriteKey)?> Caller(HttpContext http, string? bodyKey, AccessKeyResolver keys)
    {
        if (http.User.Identity?.IsAuthenticated == true)
        {
            return (http.User.WorkspaceId(), http.User.IsInRole(RoleNames.Write));
        }

        return bodyKey is not null && await keys.ResolveAsync(bodyKey) is { } grant
            ? (grant.WorkspaceId, grant.Role == AccessRole.Write)
            : null;
    }

    private static ProblemHttpResult Unauthorized(HttpContext http)
    {
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Waymark\"";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid write key is required.",
            detail: "Send the write key as the HTTP Basic user name with an empty password, or as the body's writeKey.");
    }

    private static ProblemHttpResult TooLarge(IReadOnlyCollection<FieldError> errors) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large.",
            detail: string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")),
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
}
