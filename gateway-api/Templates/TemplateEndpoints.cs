using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Definitions;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Definitions;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Templates;

namespace Waymark.Gateway.Templates;

/// <summary>api.md §4: stored message templates, validated (fields of the channel, Liquid) when saved.</summary>
public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder routes)
    {
        var templates = routes.MapGroup("/api/templates").WithTags("Templates");
        templates.MapGet("", List).RequireAuthorization(Policies.Read).WithSummary("List the workspace's templates.");
        templates.MapGet("/{id}", Get).RequireAuthorization(Policies.Read).WithSummary("Read a template.");
        templates.MapPut("/{id}", Put).RequireAuthorization(Policies.Design)
            .WithSummary("Create or replace a template: { channel, ...fields of the channel }.");
        templates.MapDelete("/{id}", Delete).RequireAuthorization(Policies.Design)
            .WithSummary("Delete a template; published versions keep their copy.");
        return routes;
    }

    private static async Task<Ok<JsonObject[]>> List(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok((await Library(grains, user).List()).Select(Document).ToArray());

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        DefinitionIds.IsValid(id) && await Library(grains, user).Get(id) is { } template
            ? TypedResults.Ok(Document(template))
            : NotFound(id);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Put(string id, JsonElement body, ClaimsPrincipal user, IGrainFactory grains)
    {
        if ((DefinitionResults.InvalidId(id) ?? JsonBodies.Unreadable(body)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await Library(grains, user).Put(id, body.GetRawText(), user.Actor());
        return DefinitionResults.Problem(outcome) is { } problem ? problem : TypedResults.Ok(Document(outcome.Value!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        DefinitionIds.IsValid(id) && await Library(grains, user).Delete(id) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>The saved body (channel and fields) with the template's id and last change.</summary>
    private static JsonObject Document(TemplateView view)
    {
        var document = new JsonObject { ["id"] = view.Id };
        foreach (var field in JsonNode.Parse(view.Body)!.AsObject().ToList())
        {
            document[field.Key] = field.Value?.DeepClone();
        }

        document["updatedAt"] = view.UpdatedAt;
        document["updatedBy"] = view.UpdatedBy;
        return document;
    }

    private static ITemplateLibraryGrain Library(IGrainFactory grains, ClaimsPrincipal user) =>
        grains.GetGrain<ITemplateLibraryGrain>(user.WorkspaceId());

    private static ProblemHttpResult NotFound(string id) => ApiProblems.NotFound($"No template '{id}' in this workspace.");
}
