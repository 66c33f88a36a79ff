using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waymark.Definitions;
using Waymark.Gateway.Auth;
using Waymark.Gateway.Customers;
using Waymark.Gateway.Definitions;
using Waymark.Gateway.Problems;
using Waymark.GrainInterfaces.Customers;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Model.Time;

namespace Waymark.Gateway.Journeys;

/// <summary>api.md §3: validate, draft, approve and publish journeys, and read their versions and history.</summary>
public static class JourneyEndpoints
{
    private const int MaxCommentLength = 2000;

    private const int MaxEnrolment = 1000;

    private const int MaxSeriesPoints = 1000;

    public static IEndpointRouteBuilder MapJourneys(this IEndpointRouteBuilder routes)
    {
        var journeys = routes.MapGroup("/api/journeys").WithTags("Journeys");
        journeys.MapPost("/validate", Validate).RequireAuthorization(Policies.Design)
            .WithSummary("Validate a canvas without saving it; every problem comes with its JSON path.");
        journeys.MapGet("", List).RequireAuthorization(Policies.Read).WithSummary("List the workspace's journeys.");
        journeys.MapGet("/{id}", Get).RequireAuthorization(Policies.Read)
            .WithSummary("Read a journey: status, draft, versions and history.");
        journeys.MapPut("/{id}", SaveDraft).RequireAuthorization(Policies.Design)
            .WithSummary("Create or replace the draft; an active journey keeps running its version until the next publish.");
        journeys.MapGet("/{id}/versions/{version:int}", GetVersion).RequireAuthorization(Policies.Read)
            .WithSummary("Read a published version.");

        MapStep(journeys, "submit", JourneyAction.Submit, Policies.Design, "Submit the draft for approval.");
        MapStep(journeys, "approve", JourneyAction.Approve, Policies.Approve, "Approve a submitted draft (not one's own).");
        MapStep(journeys, "reject", JourneyAction.Reject, Policies.Approve, "Send a submitted draft back to its designer (not one's own).");
        MapStep(journeys, "publish", JourneyAction.Publish, Policies.Design, "Publish the approved draft as a new active version.");
        MapStep(journeys, "pause", JourneyAction.Pause, Policies.Design, "Stop new entries and sends until resumed.");
        MapStep(journeys, "resume", JourneyAction.Resume, Policies.Design, "Resume a paused journey.");
        MapStep(journeys, "archive", JourneyAction.Archive, Policies.Admin, "End every run and retire the journey for good.");
        journeys.MapPost("/{id}/enroll", Enroll).RequireAuthorization(Policies.Design)
            .WithSummary("Enter customers into a journey with an api trigger, as its entry rules allow.");
        journeys.MapGet("/{id}/stats", Stats).RequireAuthorization(Policies.Read)
            .WithSummary("Counts per node, send node and goal, of one version or of every version together; per time bucket with from, to and bucket.");
        return routes;
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record StepRequest(string? Comment);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record EnrollRequest(string[]? CustomerIds);

    public sealed record EnrollResult(string CustomerId, string Status);

    public sealed record EnrollResponse(EnrollResult[] Results);

    public sealed record ValidResponse(bool Valid);

    public sealed record JourneyListItem(string Id, string Name, string Status, int? ActiveVersion, JourneyTriggerInfo? Trigger);

    private static void MapStep(RouteGroupBuilder journeys, string name, JourneyAction action, string policy, string summary) =>
        journeys.MapPost($"/{{id}}/{name}", ([FromRoute] string id, [FromBody] StepRequest? request, ClaimsPrincipal user, IGrainFactory grains) =>
                Step(id, action, request, user, grains))
            .RequireAuthorization(policy).WithSummary(summary);

    private static async Task<Results<Ok<ValidResponse>, ProblemHttpResult>> Validate(JsonElement canvas, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (JsonBodies.Unreadable(canvas) is { } unreadable)
        {
            return unreadable;
        }

        var outcome = await grains.GetGrain<IJourneyValidatorGrain>(user.WorkspaceId()).Validate(canvas.GetRawText());
        return DefinitionResults.Problem(outcome) is { } problem ? problem : TypedResults.Ok(new ValidResponse(true));
    }

    private static async Task<Ok<JourneyListItem[]>> List(ClaimsPrincipal user, IGrainFactory grains)
    {
        var journeys = await grains.GetGrain<IJourneyCatalogGrain>(user.WorkspaceId()).List();
        return TypedResults.Ok(journeys
            .Select(j => new JourneyListItem(j.Id, j.Name, JourneyDocument.StatusName(j.Status), j.ActiveVersion, j.ActiveTrigger))
            .ToArray());
    }

    private static async Task<Results<Ok<JourneyDocument>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        DefinitionIds.IsValid(id) && await Journey(grains, user, id).Describe() is { } journey
            ? TypedResults.Ok(JourneyDocument.From(journey))
            : NotFound(id);

    private static async Task<Results<Ok<JourneyDocument>, ProblemHttpResult>> SaveDraft(
        string id, JsonElement canvas, ClaimsPrincipal user, IGrainFactory grains)
    {
        if ((DefinitionResults.InvalidId(id) ?? JsonBodies.Unreadable(canvas)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await Journey(grains, user, id).SaveDraft(canvas.GetRawText(), user.Actor());
        return DefinitionResults.Problem(outcome) is { } problem ? problem : TypedResults.Ok(JourneyDocument.From(outcome.Value!));
    }

    private static async Task<Results<Ok<JourneyVersionDocument>, ProblemHttpResult>> GetVersion(
        string id, int version, ClaimsPrincipal user, IGrainFactory grains)
    {
        var stored = DefinitionIds.IsValid(id) && version > 0
            ? await grains.GetGrain<IJourneyVersionGrain>(DefinitionKeys.Version(user.WorkspaceId(), id, version)).Get()
            : null;
        return stored is null
            ? ApiProblems.NotFound($"Journey '{id}' has no version {version}.")
            : TypedResults.Ok(JourneyVersionDocument.From(stored));
    }

    private static async Task<Results<Ok<JourneyDocument>, ProblemHttpResult>> Step(
        string id, JourneyAction action, StepRequest? request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!DefinitionIds.IsValid(id))
        {
            return NotFound(id);
        }

        if (request?.Comment is { Length: > MaxCommentLength })
        {
            return ApiProblems.Invalid("$.comment", $"must be at most {MaxCommentLength} characters");
        }

        var outcome = await Journey(grains, user, id).Transition(action, user.Actor(), request?.Comment);
        return DefinitionResults.Problem(outcome) is { } problem ? problem : TypedResults.Ok(JourneyDocument.From(outcome.Value!));
    }

    private static async Task<Results<Ok<EnrollResponse>, ProblemHttpResult>> Enroll(
        string id, EnrollRequest request, ClaimsPrincipal user, IGrainFactory grains, CustomerDirectory directory)
    {
        if (request.CustomerIds is not { Length: > 0 and <= MaxEnrolment } ids || !ids.All(CustomerKeys.IsValidId))
        {
            return ApiProblems.Invalid("$.customerIds", $"must list 1 to {MaxEnrolment} customer ids, each of which {CustomerKeys.IdRule}");
        }

        var workspace = user.WorkspaceId();
        if (!DefinitionIds.IsValid(id) || await Journey(grains, user, id).Describe() is not { ActiveVersion: not null })
        {
            return ApiProblems.NotFound($"No published journey '{id}' in this workspace.");
        }

        // One request id for the whole call: each customer's entry is derived from it, so a customer named twice enters once.
        var requestId = Guid.NewGuid().ToString("N");
        var results = await Task.WhenAll(ids.Select(async customerId =>
            await directory.FindAsync(workspace, customerId) is { } customer
                ? new EnrollResult(customerId, await directory.Customer(workspace, customer.Key).Enroll(id, requestId) == EnrollStatus.Enrolled ? "enrolled" : "not_eligible")
                : new EnrollResult(customerId, "not_found")));
        return TypedResults.Ok(new EnrollResponse(results));
    }

    private static IJourneyGrain Journey(IGrainFactory grains, ClaimsPrincipal user, string id) =>
        grains.GetGrain<IJourneyGrain>(DefinitionKeys.Of(user.WorkspaceId(), id));

    /// <param name="versionText">Text, as are <paramref name="fromText"/> and <paramref name="toText"/>, so that a malformed value is refused by name rather than by binding.</param>
    private static async Task<Results<Ok<JourneyStats>, Ok<JourneyStatsSeries>, ProblemHttpResult>> Stats(
        string id, [FromQuery(Name = "version")] string? versionText, [FromQuery(Name = "from")] string? fromText, [FromQuery(Name = "to")] string? toText,
        [FromQuery] string? bucket, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!DefinitionIds.IsValid(id))
        {
            return NotFound(id);
        }

        var errors = new List<FieldError>();
        var version = Version(versionText, errors);
        var from = Instant(fromText, "from", errors);
        var to = Instant(toText, "to", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var stats = grains.GetGrain<IJourneyStatsGrain>(DefinitionKeys.Of(user.WorkspaceId(), id));
        if (from is null && to is null && bucket is null)
        {
            var totals = await stats.Read(version);
            return DefinitionResults.Problem(totals) is { } problem ? problem : TypedResults.Ok(totals.Value!);
        }

        if (SeriesProblem(from, to, bucket, out var width) is { } invalid)
        {
            return invalid;
        }

        var series = await stats.Series(version, from!.Value, to!.Value, width);
        return DefinitionResults.Problem(series) is { } seriesProblem ? seriesProblem : TypedResults.Ok(JourneyStatsSeries.From(series.Value));
    }

    private static int? Version(string? text, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1)
        {
            return version;
        }

        errors.Add(new("version", "must be a published version number, 1 or more"));
        return null;
    }

    private static DateTimeOffset? Instant(string? text, string name, List<FieldError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant;
        }

        errors.Add(new(name, "must be an ISO 8601 time, such as 2024-05-01T00:00:00Z"));
        return null;
    }

    /// <summary>A series needs <c>from</c> before <c>to</c> and a bucket of whole hours (the counts' grain), at most <see cref="MaxSeriesPoints"/> of them.</summary>
    private static ProblemHttpResult? SeriesProblem(DateTimeOffset? from, DateTimeOffset? to, string? bucket, out TimeSpan width)
    {
        width = TimeSpan.FromHours(1);
        if (from is null || to is null)
        {
            return ApiProblems.Invalid(from is null ? "from" : "to", "a series needs both from and to (ISO 8601 times)");
        }

        if (from >= to)
        {
            return ApiProblems.Invalid("to", "must be after from");
        }

        if (bucket is not null && (!IsoDuration.TryParse(bucket, out width, out _) || width < TimeSpan.FromHours(1) || width.Ticks % TimeSpan.TicksPerHour != 0))
        {
            return ApiProblems.Invalid("bucket", "must be an ISO 8601 duration of whole hours, such as PT1H or P1D");
        }

        return (to.Value - from.Value).Ticks / width.Ticks >= MaxSeriesPoints
            ? ApiProblems.Invalid("to", $"a series has at most {MaxSeriesPoints} buckets")
            : null;
    }

    private static ProblemHttpResult NotFound(string id) => ApiProblems.NotFound($"No journey '{id}' in this workspace.");
}
