using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Waymark.Definitions;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Definitions;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Segments;
using Waymark.Grains.Segments;

namespace Waymark.Gateway.Segments;

/// <summary>
/// api.md §4: segment definitions, and the audiences they select — size and backfill status, members page by page or
/// as CSV, and the insight that compares the segment's traits and tags with the workspace's.
/// </summary>
public static class SegmentEndpoints
{
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 1000;

    /// <summary>Traits one export or insight may ask for.</summary>
    public const int MaxTraits = 50;

    /// <summary>Members read per page of a CSV export.</summary>
    private const int ExportPage = 500;

    public static IEndpointRouteBuilder MapSegments(this IEndpointRouteBuilder routes)
    {
        var segments = routes.MapGroup("/api/segments").WithTags("Segments");
        segments.MapGet("", List).RequireAuthorization(Policies.Read).WithSummary("List the workspace's segments with their sizes.");
        segments.MapGet("/{id}", Get).RequireAuthorization(Policies.Read).WithSummary("Read a segment: its rule, size and backfill status.");
        segments.MapGet("/{id}/members", Members).RequireAuthorization(Policies.Read)
            .WithSummary("A page of the segment's members (?cursor=&limit=), or all of them as CSV (?format=csv&traits=email,city).");
        segments.MapGet("/{id}/insight", Insight).RequireAuthorization(Policies.Read)
            .WithSummary("The shares of trait values and tags inside the segment beside the whole workspace (?traits=city,gender).");
        segments.MapPut("/{id}", Put).RequireAuthorization(Policies.Design)
            .WithSummary("Create or replace a segment: { name, description?, where: predicate }; existing customers are backfilled.");
        segments.MapDelete("/{id}", Delete).RequireAuthorization(Policies.Design)
            .WithSummary("Delete a segment that no other segment and no journey uses.");
        return routes;
    }

    public sealed record SegmentListItem(string Id, string Name, long Count, string Status);

    /// <summary>A segment as designers read it: the body they saved, its size and backfill status, and its last change.</summary>
    public sealed record SegmentDocument(
        string Id, string Name, string? Description, JsonElement Where, long Count, string Status, double Progress, DateTimeOffset UpdatedAt, string UpdatedBy)
    {
        public static SegmentDocument From(SegmentView view, SegmentStatus status)
        {
            var body = StoredJson.Parse(view.Body);
            var description = body.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            return new(view.Id, view.Name, description, body.GetProperty("where"), status.Count, StatusName(status), status.Progress, view.UpdatedAt, view.UpdatedBy);
        }
    }

    public sealed record MembersResponse(IReadOnlyList<string> Items, string? Next);

    public sealed record InsightResponse(
        long Size,
        long WorkspaceSize,
        IReadOnlyDictionary<string, SharesResponse> Traits,
        SharesResponse Tags,
        int SegmentSample,
        int WorkspaceSample);

    public sealed record SharesResponse(IReadOnlyDictionary<string, double> Segment, IReadOnlyDictionary<string, double> Workspace);

    private static async Task<Ok<SegmentListItem[]>> List(ClaimsPrincipal user, IGrainFactory grains)
    {
        var workspace = user.WorkspaceId();
        var list = new List<SegmentListItem>();
        foreach (var segment in await Library(grains, workspace).List())
        {
            var status = await Query(grains).Status(workspace, segment.Id);
            list.Add(new SegmentListItem(segment.Id, segment.Name, status?.Count ?? 0, status is null ? "ready" : StatusName(status)));
        }

        return TypedResults.Ok(list.ToArray());
    }

    private static async Task<Results<Ok<SegmentDocument>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        DefinitionIds.IsValid(id) && await Library(grains, user.WorkspaceId()).Get(id) is { } segment
            && await Query(grains).Status(user.WorkspaceId(), id) is { } status
            ? TypedResults.Ok(SegmentDocument.From(segment, status))
            : NotFound(id);

    private static async Task<IResult> Members(
        string id, string? cursor, string? limit, string? format, string? traits, ClaimsPrincipal user, IGrainFactory grains, HttpContext http)
    {
        var workspace = user.WorkspaceId();
        if (!DefinitionIds.IsValid(id) || await Library(grains, workspace).Get(id) is null)
        {
            return NotFound(id);
        }

        var errors = new List<FieldError>();
        var after = Cursor(cursor, errors);
        var size = PageSize(limit, errors);
        var names = Traits(traits, errors);
        if (format is not (null or "json" or "csv"))
        {
            errors.Add(new FieldError("format", "must be json or csv"));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (format == "csv")
        {
            await Export(http, grains, workspace, id, names);
            return Results.Empty;
        }

        var page = await Query(grains).Members(workspace, id, after, size);
        return TypedResults.Ok(new MembersResponse([.. page.CustomerKeys.Select(CustomerKeys.PublicId)], page.Next is { } next ? Encode(next) : null));
    }

    private static async Task<Results<Ok<InsightResponse>, ProblemHttpResult>> Insight(string id, string? traits, ClaimsPrincipal user, IGrainFactory grains)
    {
        var workspace = user.WorkspaceId();
        if (!DefinitionIds.IsValid(id) || await Library(grains, workspace).Get(id) is null)
        {
            return NotFound(id);
        }

        var errors = new List<FieldError>();
        var names = Traits(traits, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var insight = await Query(grains).Insight(workspace, id, names);
        return TypedResults.Ok(new InsightResponse(
            insight.Size,
            insight.WorkspaceSize,
            insight.Traits.ToDictionary(t => t.Key, t => Shares(t.Value), StringComparer.Ordinal),
            Shares(insight.Tags),
            insight.SegmentSample,
            insight.WorkspaceSample));
    }

    private static async Task<Results<Ok<SegmentDocument>, ProblemHttpResult>> Put(string id, JsonElement body, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services)
    {
        if ((DefinitionResults.InvalidId(id) ?? JsonBodies.Unreadable(body)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await Library(grains, user.WorkspaceId()).Put(id, body.GetRawText(), user.Actor());
        if (DefinitionResults.Problem(outcome) is { } problem)
        {
            return problem;
        }

        Forget(services, user);
        return TypedResults.Ok(SegmentDocument.From(outcome.Value!, (await Query(grains).Status(user.WorkspaceId(), id))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, ClaimsPrincipal user, IGrainFactory grains, IServiceProvider services)
    {
        if (!DefinitionIds.IsValid(id))
        {
            return NotFound(id);
        }

        var outcome = await Library(grains, user.WorkspaceId()).Delete(id);
        if (DefinitionResults.Problem(outcome) is { } problem)
        {
            return problem;
        }

        Forget(services, user);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Streams every member as a CSV row, <c>id</c> then the asked traits, page by page. A text that a spreadsheet would
    /// run as a formula (starting with <c>= + - @</c>) is written with a leading <c>'</c>: customer data must not execute
    /// on the operator's machine.
    /// </summary>
    private static async Task Export(HttpContext http, IGrainFactory grains, string workspace, string segment, ImmutableArray<string> traits)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{segment}.csv\"";
        await using var csv = CsvWriter.Create(http.Response.Body, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordAsync(["id", .. traits], http.RequestAborted);
        string? after = null;
        do
        {
            var page = await Query(grains).MemberRows(workspace, segment, after, ExportPage, traits);
            foreach (var row in page.Rows)
            {
                await csv.WriteRecordAsync([row.Id, .. row.Traits.Select(t => t ?? "")], http.RequestAborted);
            }

            await csv.FlushAsync(http.RequestAborted);
            after = page.Next;
        }
        while (after is not null);
    }

    private static string? Cursor(string? cursor, List<FieldError> errors)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            errors.Add(new FieldError("cursor", "is not a cursor this API gave"));
            return null;
        }
    }

    private static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    private static int PageSize(string? limit, List<FieldError> errors)
    {
        if (limit is null)
        {
            return DefaultPageSize;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        errors.Add(new FieldError("limit", $"must be a whole number from 1 to {MaxPageSize}"));
        return DefaultPageSize;
    }

    private static ImmutableArray<string> Traits(string? traits, List<FieldError> errors)
    {
        var names = (traits ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (names.Length > MaxTraits || names.Any(n => n.Length > 256))
        {
            errors.Add(new FieldError("traits", $"must name at most {MaxTraits} traits, each at most 256 characters"));
        }

        return names;
    }

    private static SharesResponse Shares(TraitShares shares) => new(shares.Segment, shares.Workspace);

    private static string StatusName(SegmentStatus status) => status.Ready ? "ready" : "building";

    /// <summary>A gateway that hosts a silo evaluates customers under the changed segments at once; other silos within the catalog's refresh period.</summary>
    private static void Forget(IServiceProvider services, ClaimsPrincipal user) =>
        services.GetService<SegmentCatalog>()?.Invalidate(user.WorkspaceId());

    private static ISegmentLibraryGrain Library(IGrainFactory grains, string workspace) => grains.GetGrain<ISegmentLibraryGrain>(workspace);

    private static ISegmentQueryGrain Query(IGrainFactory grains) => grains.GetGrain<ISegmentQueryGrain>(0);

    private static ProblemHttpResult NotFound(string id) => ApiProblems.NotFound($"No segment '{id}' in this workspace.");
}
