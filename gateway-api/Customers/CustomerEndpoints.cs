using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;
using Waymark.Grains.Workspaces;
using Waymark.Storage.CustomerLog;

namespace Waymark.Gateway.Customers;

/// <summary>api.md §2: read, edit, merge, erase customers and read their timelines. Ids resolve within the caller's workspace.</summary>
public static class CustomerEndpoints
{
    private const int MaxTagLength = 100;

    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder routes)
    {
        var customers = routes.MapGroup("/api/customers/{id}").WithTags("Customers");
        customers.MapGet("", Get).RequireAuthorization(Policies.Read).WithSummary("Read a customer by user id, anonymous id, email or phone.");
        customers.MapPatch("/traits", PatchTraits).RequireAuthorization(Policies.Admin).WithSummary("Merge traits into the profile.");
        customers.MapPut("/tags/{tag}", (string id, string tag, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings) =>
            SetTag(id, tag, true, user, directory, workspaceSettings)).RequireAuthorization(Policies.Admin).WithSummary("Add a tag.");
        customers.MapDelete("/tags/{tag}", (string id, string tag, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings) =>
            SetTag(id, tag, false, user, directory, workspaceSettings)).RequireAuthorization(Policies.Admin).WithSummary("Remove a tag.");
        customers.MapPut("/subscriptions", SetSubscriptions).RequireAuthorization(Policies.Admin).WithSummary("Merge channel subscriptions.");
        customers.MapPost("/merge", Merge).RequireAuthorization(Policies.Admin).WithSummary("Merge another customer into this one.");
        customers.MapGet("/timeline", Timeline).RequireAuthorization(Policies.Read).WithSummary("The customer's history, newest first.");
        customers.MapDelete("", Erase).RequireAuthorization(Policies.Admin).WithSummary("Erase the customer, its identities and its history.");
        return routes;
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record MergeRequest(string? From);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings) =>
        await directory.FindAsync(user.WorkspaceId(), id) is { } view
            ? TypedResults.Ok(await Document(view, user, workspaceSettings))
            : NotFound(id);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> PatchTraits(
        string id, JsonElement body, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings)
    {
        if ((InvalidId(id) ?? JsonBodies.Unreadable(body)) is { } invalid)
        {
            return invalid;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.Invalid("$", "must be a JSON object of traits");
        }

        var view = await (await Existing(id, user, directory)).PatchTraits(body.GetRawText());
        return TypedResults.Ok(await Document(view, user, workspaceSettings));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> SetTag(
        string id, string tag, bool present, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings)
    {
        if (InvalidId(id) is { } invalid)
        {
            return invalid;
        }

        if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTagLength)
        {
            return ApiProblems.Invalid("tag", $"must be 1 to {MaxTagLength} characters");
        }

        var view = await (await Existing(id, user, directory)).SetTag(tag, present);
        return TypedResults.Ok(await Document(view, user, workspaceSettings));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> SetSubscriptions(
        string id, JsonElement body, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings)
    {
        if ((InvalidId(id) ?? JsonBodies.Unreadable(body)) is { } invalid)
        {
            return invalid;
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.Invalid("$", "must be a JSON object of channel: true|false");
        }

        var errors = body.EnumerateObject()
            .Where(p => p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) || p.Name.Length is 0 or > 32)
            .Select(p => new FieldError($"$.{p.Name}", "must be true or false, for a channel name of 1 to 32 characters"))
            .ToList();
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var subscriptions = body.EnumerateObject().ToImmutableDictionary(p => p.Name, p => p.Value.GetBoolean());
        var view = await (await Existing(id, user, directory)).SetSubscriptions(subscriptions);
        return TypedResults.Ok(await Document(view, user, workspaceSettings));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Merge(
        string id, MergeRequest request, ClaimsPrincipal user, CustomerDirectory directory, WorkspaceSettingsCache workspaceSettings)
    {
        if (!CustomerKeys.IsValidId(request.From))
        {
            return ApiProblems.Invalid("$.from", $"must name the customer to merge into this one: an id that {CustomerKeys.IdRule}");
        }

        var workspace = user.WorkspaceId();
        if (await directory.FindAsync(workspace, id) is not { } survivor)
        {
            return NotFound(id);
        }

        if (await directory.FindAsync(workspace, request.From) is not { } other)
        {
            return NotFound(request.From);
        }

        // Both ids name one customer, as after an earlier merge of the two: there is nothing to merge.
        if (other.Key == survivor.Key)
        {
            return ApiProblems.Conflict($"'{request.From}' and '{id}' are the same customer already.");
        }

        var merged = await directory.Customer(workspace, survivor.Key).MergeFrom(other.Key);
        return TypedResults.Ok(await Document(merged, user, workspaceSettings));
    }

    /// <param name="limit">Text, so that one that is no number is refused by name rather than by binding.</param>
    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Timeline(
        string id, string? cursor, string? limit, ClaimsPrincipal user, CustomerDirectory directory)
    {
        var errors = new List<FieldError>();
        if (cursor is not null && !TimelineCursor.TryParse(cursor, out _))
        {
            errors.Add(new("cursor", "is not a cursor this API returned"));
        }

        var size = 50;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is >= 1 and <= 500))
        {
            errors.Add(new("limit", "must be a whole number between 1 and 500"));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var workspace = user.WorkspaceId();
        if (await directory.FindAsync(workspace, id) is not { } view)
        {
            return NotFound(id);
        }

        var page = await directory.Customer(workspace, view.Key).Timeline(cursor, size);
        return TypedResults.Ok(new JsonObject
        {
            ["items"] = new JsonArray([.. page.ItemsJson.Select(item => JsonNode.Parse(item))]),
            ["next"] = page.Next,
        });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Erase(string id, ClaimsPrincipal user, CustomerDirectory directory)
    {
        var workspace = user.WorkspaceId();
        return await directory.FindAsync(workspace, id) is { } view && await directory.Customer(workspace, view.Key).Erase()
            ? TypedResults.NoContent()
            : NotFound(id);
    }

    /// <summary>A write to an unknown id creates the customer, so the id must be one a customer can have.</summary>
    private static ProblemHttpResult? InvalidId(string id) =>
        CustomerKeys.IsValidId(id) ? null : ApiProblems.Invalid("id", CustomerKeys.IdRule);

    /// <summary>The customer an edit applies to: the one the id names, else a new customer with that user id.</summary>
    private static async Task<ICustomerGrain> Existing(string id, ClaimsPrincipal user, CustomerDirectory directory)
    {
        var workspace = user.WorkspaceId();
        var key = (await directory.FindAsync(workspace, id))?.Key ?? CustomerKeys.User(id);
        return directory.Customer(workspace, key);
    }

    private static async Task<JsonObject> Document(CustomerView view, ClaimsPrincipal user, WorkspaceSettingsCache workspaceSettings) =>
        CustomerDocument.From(view, (await workspaceSettings.GetAsync(user.WorkspaceId())).Timezone);

    private static ProblemHttpResult NotFound(string id) => ApiProblems.NotFound($"No customer '{id}' in this workspace.");
}
