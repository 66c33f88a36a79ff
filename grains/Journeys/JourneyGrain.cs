using System.Collections.Immutable;
using Waymark.Definitions.Journeys;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.GrainInterfaces.Templates;
using Waymark.Grains.Definitions;
using Waymark.Model.Time;

namespace Waymark.Grains.Journeys;

/// <summary>
/// One journey: validates drafts, runs the approval workflow and publishes immutable versions. Every
/// step is written to its history and mirrored into the workspace catalogue.
/// </summary>
public sealed class JourneyGrain(
    [PersistentState(GrainStorage.StateNames.Journey, GrainStorage.ProviderName)]
    IPersistentState<JourneyState> state,
    DefinitionContexts contexts,
    JourneyDirectory directory,
    WaymarkClock clock) : Grain, IJourneyGrain
{
    private string workspace = "";
    private string id = "";

    private JourneyState Journey => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (workspace, id) = DefinitionKeys.Split(this.GetPrimaryKeyString());

        // A crash between our write and the catalogue's (or the broadcast's) leaves them behind: catch them up.
        if (Journey.Exists)
        {
            await Catalog.Upsert(Journey.ToSummary(id));
            if (Journey.ActiveVersion is { } version && Journey.ActiveTrigger?.Type is "schedule" or "segment")
            {
                await Broadcast.Published(version); // nothing when it knows the version already
            }
        }
    }

    private IJourneyBroadcastGrain Broadcast => GrainFactory.GetGrain<IJourneyBroadcastGrain>(DefinitionKeys.Of(workspace, id));

    private IJourneyCatalogGrain Catalog => GrainFactory.GetGrain<IJourneyCatalogGrain>(workspace);

    public Task<JourneyView?> Describe() => Task.FromResult(Journey.Exists ? Journey.ToView(id) : null);

    public async Task<Outcome<JourneyView>> SaveDraft(string canvasJson, Actor by)
    {
        if (Journey.Archived)
        {
            return Conflict("An archived journey cannot be edited.");
        }

        var (definition, errors) = await Validate(canvasJson);
        if (definition is null)
        {
            return Outcome.Problems<JourneyView>(OutcomeKind.Invalid, "The canvas is invalid.", errors);
        }

        var withdrawn = Journey.Draft is not null && Journey.DraftStatus != JourneyStatus.Draft
            ? $"withdrew the {(Journey.DraftStatus == JourneyStatus.Approved ? "approval" : "submission")}"
            : null;
        var action = Journey.Exists ? "edited" : "created";
        Journey.Name = definition.Name;
        Journey.Draft = canvasJson;
        Journey.DraftStatus = JourneyStatus.Draft;
        Journey.SubmittedBy = null;
        Journey.ApprovedBy = null;
        Journey.DraftSegments = [.. definition.ReferencedSegments];
        return await Record(action, by, withdrawn);
    }

    public Task<Outcome<JourneyView>> Transition(JourneyAction action, Actor by, string? comment)
    {
        if (!Journey.Exists)
        {
            return Task.FromResult(Outcome.Refused<JourneyView>(OutcomeKind.NotFound, $"No journey '{id}'."));
        }

        if (Journey.Archived)
        {
            return Task.FromResult(Conflict("The journey is archived; nothing more can happen to it."));
        }

        return action switch
        {
            JourneyAction.Submit => Submit(by, comment),
            JourneyAction.Approve => Approve(by, comment),
            JourneyAction.Reject => Reject(by, comment),
            JourneyAction.Publish => Publish(by, comment),
            JourneyAction.Pause => Run(JourneyStatus.Active, JourneyStatus.Paused, "paused", by, comment),
            JourneyAction.Resume => Run(JourneyStatus.Paused, JourneyStatus.Active, "resumed", by, comment),
            JourneyAction.Archive => Archive(by, comment),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown journey action."),
        };
    }

    private async Task<Outcome<JourneyView>> Submit(Actor by, string? comment)
    {
        if (Journey.Draft is null || Journey.DraftStatus != JourneyStatus.Draft)
        {
            return Conflict(Journey.Draft is null
                ? "There is no draft to submit."
                : $"The draft is {Describe(Journey.DraftStatus)} already.");
        }

        // Segments or templates may have gone since the draft was saved.
        if (await Revalidate() is { } stale)
        {
            return stale;
        }

        Journey.DraftStatus = JourneyStatus.PendingApproval;
        Journey.SubmittedBy = by.KeyId;
        return await Record("submitted", by, comment);
    }

    private async Task<Outcome<JourneyView>> Approve(Actor by, string? comment)
    {
        if (Review(by, "approve") is { } refused)
        {
            return refused;
        }

        Journey.DraftStatus = JourneyStatus.Approved;
        Journey.ApprovedBy = by.KeyId;
        return await Record("approved", by, comment);
    }

    private async Task<Outcome<JourneyView>> Reject(Actor by, string? comment)
    {
        if (Review(by, "reject") is { } refused)
        {
            return refused;
        }

        Journey.DraftStatus = JourneyStatus.Draft;
        Journey.SubmittedBy = null;
        return await Record("rejected", by, comment);
    }

    private Outcome<JourneyView>? Review(Actor by, string verb)
    {
        if (Journey.Draft is null || Journey.DraftStatus != JourneyStatus.PendingApproval)
        {
            return Conflict($"Only a draft pending approval can be {verb}d; {(Journey.Draft is null ? "there is no draft" : $"the draft is {Describe(Journey.DraftStatus)}")}.");
        }

        return by.KeyId == Journey.SubmittedBy
            ? Outcome.Refused<JourneyView>(OutcomeKind.Forbidden, $"You submitted this draft; another approver must {verb} it.")
            : null;
    }

    private async Task<Outcome<JourneyView>> Publish(Actor by, string? comment)
    {
        if (Journey.Draft is null || Journey.DraftStatus != JourneyStatus.Approved)
        {
            return Conflict(Journey.Draft is null
                ? "There is no draft to publish."
                : $"Only an approved draft can be published; the draft is {Describe(Journey.DraftStatus)}.");
        }

        var (definition, errors) = await Validate(Journey.Draft);
        if (definition is null)
        {
            return Outcome.Problems<JourneyView>(OutcomeKind.Conflict, "The approved draft is no longer valid; edit it and submit it again.", errors);
        }

        if (await TemplatesOf(definition) is not { } templates)
        {
            return Conflict("A template the draft names was deleted while publishing; publish again.");
        }

        var version = (Journey.ActiveVersion ?? 0) + 1;
        var publishedAt = clock.GetUtcNow();

        // The version is stored before the journey records it: a crash in between leaves an unrecorded
        // version that the next publication overwrites, never a recorded version without content.
        await GrainFactory.GetGrain<IJourneyVersionGrain>(DefinitionKeys.Version(workspace, id, version)).Store(new JourneyVersion(
            id, version, Journey.Draft, templates, publishedAt, by.KeyId, Journey.ApprovedBy!, [.. definition.ReferencedSegments]));

        Journey.Versions.Add(new JourneyVersionInfo(version, publishedAt, by.KeyId));
        Journey.Running = JourneyStatus.Active;
        Journey.ActiveTrigger = JourneyTriggers.Describe(definition.Trigger);
        Journey.ActiveSegments = [.. definition.ReferencedSegments];
        Journey.Draft = null;
        Journey.DraftStatus = JourneyStatus.Draft;
        Journey.SubmittedBy = null;
        Journey.ApprovedBy = null;
        Journey.DraftSegments = [];
        var published = await Record("published", by, comment, version);
        if (definition.Trigger is ScheduleTrigger or SegmentTrigger { IncludeExisting: true })
        {
            await Broadcast.Published(version);
        }

        return published;
    }

    private async Task<Outcome<JourneyView>> Run(JourneyStatus from, JourneyStatus to, string action, Actor by, string? comment)
    {
        if (Journey.Running != from)
        {
            return Conflict($"Only {Describe(from)} journeys can be {action}; this one is {Describe(Journey.Status)}.");
        }

        Journey.Running = to;
        return await Record(action, by, comment);
    }

    private async Task<Outcome<JourneyView>> Archive(Actor by, string? comment)
    {
        Journey.Archived = true;
        return await Record("archived", by, comment);
    }

    private async Task<Outcome<JourneyView>> Record(string action, Actor by, string? comment, int? version = null)
    {
        Journey.Revision++;
        Journey.History.Add(new JourneyHistoryEntry(action, by.KeyId, clock.GetUtcNow(), comment, version));
        await state.WriteStateAsync();
        try
        {
            await Catalog.Upsert(Journey.ToSummary(id));
            directory.Invalidate(workspace);
        }
        catch
        {
            // Our state is written; the next activation brings the catalogue up to date.
            DeactivateOnIdle();
            throw;
        }

        return Outcome.Done(Journey.ToView(id));
    }

    private async Task<Outcome<JourneyView>?> Revalidate()
    {
        var (definition, errors) = await Validate(Journey.Draft!);
        return definition is null
            ? Outcome.Problems<JourneyView>(OutcomeKind.Conflict, "The draft is no longer valid; edit it first.", errors)
            : null;
    }

    private Task<(JourneyDefinition? Definition, ImmutableArray<DefinitionError> Errors)> Validate(string canvasJson) =>
        contexts.ReadJourneyAsync(workspace, canvasJson);

    /// <summary>The bodies of the stored templates the version names; null when one was deleted since validation.</summary>
    private async Task<ImmutableDictionary<string, string>?> TemplatesOf(JourneyDefinition definition)
    {
        var library = GrainFactory.GetGrain<ITemplateLibraryGrain>(workspace);
        var templates = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var templateId in definition.ReferencedTemplates)
        {
            if (await library.Get(templateId) is not { } template)
            {
                return null;
            }

            templates[templateId] = template.Body;
        }

        return templates.ToImmutable();
    }

    private static Outcome<JourneyView> Conflict(string reason) => Outcome.Refused<JourneyView>(OutcomeKind.Conflict, reason);

    private static string Describe(JourneyStatus status) => status switch
    {
        JourneyStatus.PendingApproval => "pending approval",
        _ => status.ToString().ToLowerInvariant(),
    };
}
