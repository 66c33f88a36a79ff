using System.Security.Claims;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Workspaces;

namespace Waymark.Gateway.Workspaces;

/// <summary>api.md §6: keys, workspaces and settings. Every handler works on the caller's own workspace.</summary>
public static partial class WorkspaceEndpoints
{
    public static IEndpointRouteBuilder MapWorkspaces(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Workspaces and keys");
        api.MapPost("/keys", IssueKey).RequireAuthorization(Policies.Admin)
            .WithSummary("Issue a key; its secret is shown this once.");
        api.MapGet("/keys", ListKeys).RequireAuthorization(Policies.Admin)
            .WithSummary("List the workspace's keys (no secrets).");
        api.MapDelete("/keys/{id}", RevokeKey).RequireAuthorization(Policies.Admin)
            .WithSummary("Revoke a key at once.");
        api.MapPost("/workspaces", CreateWorkspace).RequireAuthorization(Policies.Admin)
            .WithSummary("Create a workspace; the caller's key gets no access to it.");
        api.MapGet("/workspace/settings", GetSettings).RequireAuthorization(Policies.Read)
            .WithSummary("Read the workspace settings (the inbox secret for admins only).");
        api.MapPut("/workspace/settings", PutSettings).RequireAuthorization(Policies.Admin)
            .WithSummary("Replace the workspace settings.");
        return routes;
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record IssueKeyRequest(string? Role, string? Name);

    public sealed record IssuedKeyResponse(string Id, string Role, string Name, string Key);

    public sealed record KeyResponse(string Id, string Role, string Name, DateTimeOffset CreatedAt);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record CreateWorkspaceRequest(string? Id);

    public sealed record CreatedWorkspaceResponse(string Id, string AdminKey, string WriteKey, string InboxSecret);

    private static async Task<Results<Created<IssuedKeyResponse>, ProblemHttpResult>> IssueKey(
        IssueKeyRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var errors = new List<FieldError>();
        if (RoleNames.Parse(request.Role) is not { } role)
        {
            errors.Add(new("$.role", "must be one of write, viewer, designer, approver, admin"));
            role = default;
        }

        if (request.Name is { Length: > 100 })
        {
            errors.Add(new("$.name", "must be at most 100 characters"));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var issued = await Workspace(grains, user).IssueKey(role, request.Name ?? request.Role!);
        return TypedResults.Created($"/api/keys/{issued.Key.Id}",
            new IssuedKeyResponse(issued.Key.Id, RoleNames.Of(issued.Key.Role), issued.Key.Name, issued.Secret));
    }

    private static async Task<Ok<KeyResponse[]>> ListKeys(ClaimsPrincipal user, IGrainFactory grains)
    {
        var keys = await Workspace(grains, user).ListKeys();
        return TypedResults.Ok(keys.Select(k => new KeyResponse(k.Id, RoleNames.Of(k.Role), k.Name, k.CreatedAt)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string id, ClaimsPrincipal user, IGrainFactory grains, AccessKeyResolver resolver)
    {
        if (await Workspace(grains, user).RevokeKey(id) is not { } revoked)
        {
            return ApiProblems.NotFound($"No key '{id}' in this workspace.");
        }

        resolver.Forget(revoked.KeyHash);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<CreatedWorkspaceResponse>, ProblemHttpResult>> CreateWorkspace(
        CreateWorkspaceRequest request, IGrainFactory grains)
    {
        if (request.Id is null || !WorkspaceId().IsMatch(request.Id))
        {
            return ApiProblems.Invalid("$.id", "must match [a-z0-9][a-z0-9-]{0,63}");
        }

        var created = await grains.GetGrain<IWorkspaceGrain>(request.Id).Create(writeKeySecret: null, adminKeySecret: null);
        return created is null
            ? ApiProblems.Conflict($"Workspace '{request.Id}' exists already.")
            : TypedResults.Created($"/api/workspaces/{created.Id}",
                new CreatedWorkspaceResponse(created.Id, created.AdminKey, created.WriteKey, created.InboxSecret));
    }

    private static async Task<Ok<SettingsDocument>> GetSettings(ClaimsPrincipal user, IGrainFactory grains)
    {
        var workspace = await Workspace(grains, user).Describe()
            ?? throw new InvalidOperationException("An authenticated key's workspace must exist.");
        return TypedResults.Ok(SettingsDocument.From(workspace.Settings, user.IsAdmin() ? workspace.InboxSecret : null));
    }

    private static async Task<Results<Ok<SettingsDocument>, ProblemHttpResult>> PutSettings(
        SettingsDocument document, ClaimsPrincipal user, IGrainFactory grains)
    {
        var (settings, errors) = document.Validate();
        if (settings is null)
        {
            return ApiProblems.Invalid(errors);
        }

        var saved = await Workspace(grains, user).UpdateSettings(settings);
        return TypedResults.Ok(SettingsDocument.From(saved, inboxSecret: null));
    }

    private static IWorkspaceGrain Workspace(IGrainFactory grains, ClaimsPrincipal user) =>
        grains.GetGrain<IWorkspaceGrain>(user.WorkspaceId());

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex WorkspaceId();
}
