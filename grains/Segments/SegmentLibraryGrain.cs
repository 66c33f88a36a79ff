using System.Collections.Immutable;
using NodaTime;
using Waymark.Definitions;
using Waymark.Definitions.Segments;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.GrainInterfaces.Segments;
using Waymark.Grains.Definitions;
using Waymark.Model.Time;
using Waymark.Storage.Segments;

namespace Waymark.Grains.Segments;

public sealed class SegmentLibraryGrain(
    [PersistentState(GrainStorage.StateNames.SegmentLibrary, GrainStorage.ProviderName)]
    IPersistentState<SegmentLibraryState> state,
    ISegmentMembers members,
    WaymarkClock clock) : Grain, ISegmentLibraryGrain
{
    private Dictionary<string, StoredSegment> Segments => state.State.Segments;

    public async Task<Outcome<SegmentView>> Put(string id, string bodyJson, Actor by)
    {
        using var document = DefinitionContexts.ParseJson(bodyJson);
        if (document is null)
        {
            return Outcome.Problems<SegmentView>(OutcomeKind.Invalid, "The segment is invalid.", DefinitionContexts.NotJson);
        }

        // Validated against this library's own current state, so two saves cannot race into a cycle.
        var context = DefinitionContext.Empty(Instant.FromDateTimeOffset(clock.GetUtcNow())) with
        {
            Segments = Segments.ToDictionary(s => s.Key, s => (IReadOnlySet<string>)s.Value.References.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        };
        var parsed = SegmentReader.Read(id, document.RootElement, context);
        if (parsed.Value is not { } segment)
        {
            return Outcome.Problems<SegmentView>(OutcomeKind.Invalid, "The segment is invalid.", DefinitionContexts.Errors(parsed.Problems));
        }

        if (Segments.TryGetValue(id, out var existing) && existing.Body == bodyJson)
        {
            return Outcome.Done(existing.ToView(id)); // the same rule again: nothing to evaluate anew
        }

        var generation = ++state.State.Generation;
        var stored = new StoredSegment(segment.Name, bodyJson, [.. segment.References], clock.GetUtcNow(), by.KeyId, generation, existing?.Incarnation ?? generation);
        Segments[id] = stored;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ISegmentBackfillGrain>(this.GetPrimaryKeyString()).Start(generation);
        return Outcome.Done(stored.ToView(id));
    }

    public Task<SegmentView?> Get(string id) =>
        Task.FromResult(Segments.TryGetValue(id, out var segment) ? segment.ToView(id) : null);

    public Task<ImmutableArray<SegmentView>> List() =>
        Task.FromResult(Segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.ToView(s.Key)).ToImmutableArray());

    public async Task<Outcome<string>> Delete(string id)
    {
        if (!Segments.ContainsKey(id))
        {
            return Outcome.Refused<string>(OutcomeKind.NotFound, $"No segment '{id}'.");
        }

        if (Segments.FirstOrDefault(s => s.Value.References.Contains(id)) is { Key: { } segment })
        {
            return Outcome.Refused<string>(OutcomeKind.Conflict, $"Segment '{segment}' uses this segment; change it first.");
        }

        var journeys = await GrainFactory.GetGrain<IJourneyCatalogGrain>(this.GetPrimaryKeyString()).List();
        if (journeys.FirstOrDefault(j => j.Segments.Contains(id)) is { } journey)
        {
            return Outcome.Refused<string>(OutcomeKind.Conflict, $"Journey '{journey.Id}' uses this segment; change or archive it first.");
        }

        // Customers drop a deleted segment when they next evaluate theirs; its member rows go now.
        Segments.Remove(id);
        state.State.Generation++;
        await state.WriteStateAsync();
        await members.DeleteSegmentAsync(this.GetPrimaryKeyString(), id);
        return Outcome.Done(id);
    }

    public Task<ImmutableDictionary<string, ImmutableArray<string>>> References() =>
        Task.FromResult(Segments.ToImmutableDictionary(s => s.Key, s => s.Value.References, StringComparer.Ordinal));

    public Task<SegmentCatalogView> Catalog() =>
        Task.FromResult(new SegmentCatalogView(state.State.Generation, [.. Segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.ToView(s.Key))]));
}

public sealed class SegmentLibraryState
{
    public Dictionary<string, StoredSegment> Segments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Moved on by every save that changes a rule and every delete (<see cref="SegmentCatalogView.Generation"/>).</summary>
    public long Generation { get; set; }
}

/// <summary>
/// A segment as saved: the body exactly as the designer sent it, the segments its rule names, and the generations of
/// its last change and of its creation (<see cref="SegmentView"/>).
/// </summary>
public sealed record StoredSegment(string Name, string Body, ImmutableArray<string> References, DateTimeOffset UpdatedAt, string UpdatedBy, long Revision, long Incarnation)
{
    public SegmentView ToView(string id) => new(id, Name, Body, UpdatedAt, UpdatedBy, Revision, Incarnation);
}
