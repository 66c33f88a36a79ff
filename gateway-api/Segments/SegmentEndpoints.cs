using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Definitions;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Definitions;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Segments;

namespace Waymark.Gateway.Segments;

/// <summary>api.md §4: segment definitions. Membership, counts and insight come with the segment runtime.</summary>
public static class SegmentEndpoints
{
    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder routes)
    {
        var segments = routes.MapGroup("/api/segments").WithTags("Segments");
        segments.MapGet("", List).RequireAuthorization(Policies.Read).WithSummary("List the workspace's segments.");
        segments.MapGet("/{id}", Get).RequireAuthorization(Policies.Read).WithSummary("Read a segment definition.");
        segments.MapPut("/{id}", Put).RequireAuthorization(Policies.Design)
            .WithSummary("Create or replace a segment: { name, description?, where: predicate }.");
        segments.MapDelete("/{id}", Delete).RequireAuthorization(Policies.Design)
            .WithSummary("Delete a segment that no other segment and no journey uses.");
        return routes;
    }

    public sealed record SegmentListItem(string Id, string Name);

    /// <summary>A segment as designers read it: the body they saved, with its id and last change.</summary>
    public sealed record SegmentDocument(string Id, string Name, string? Description, JsonElement Where, DateTimeOffset UpdatedAt, string UpdatedBy)
    {
        public static SegmentDocument From(SegmentView view)
        {
            var body = StoredJson.Parse(view.Body);
            var description = body.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            return new(view.Id, view.Name, description, body.GetProperty("where"), view.UpdatedAt, view.UpdatedBy);
        }
    }

    private static async Task<Ok<SegmentListItem[]>> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok((await Library(grains, user).List()).Select(s => new SegmentListItem(s.Id, s.Name)).ToArray());

    private static async Task<Results<Ok<SegmentDocument>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        DefinitionIds.IsValid(id) && await Library(grains, user).Get(id) is { } segment
            ? TypedResults.Ok(SegmentDocument.From(segment))
            : NotFound(id);

    private static async Task<Results<Ok<SegmentDocument>, ProblemHttpResult>> Put(string id, JsonElement body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (DefinitionResults.InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        var outcome = await Library(grains, user).Put(id, body.GetRawText(), user.Actor());
        return DefinitionResults.Problem(outcome) is { } problem ? problem : TypedResults.Ok(SegmentDocument.From(outcome.Value!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!DefinitionIds.IsValid(id))
        {
            return NotFound(id);
        }

        var outcome = await Library(grains, user).Delete(id);
        return DefinitionResults.Problem(outcome) is { } problem ? problem : TypedResults.NoContent();
    }

    private static ISegmentLibraryGrain Library(IGrainFactory grains, ClaimsPrincipal user) =>
        grains.GetGrain<ISegmentLibraryGrain>(user.WorkspaceId());

    private static ProblemHttpResult NotFound(string id) => ApiProblems.NotFound($"No segment '{id}' in this workspace.");
}
