using System.Collections.Immutable;
using System.Text.Json;
using Waymark.Definitions.Templates;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Templates;
using Waymark.Grains.Definitions;
using Waymark.Model.Time;

namespace Waymark.Grains.Templates;

public sealed class TemplateLibraryGrain(
    [PersistentState(GrainStorage.StateNames.TemplateLibrary, GrainStorage.ProviderName)]
    IPersistentState<TemplateLibraryState> state,
    WaymarkClock clock) : Grain, ITemplateLibraryGrain
{
    private Dictionary<string, TemplateView> Templates => state.State.Templates;

    public async Task<Outcome<TemplateView>> Put(string id, string bodyJson, Actor by)
    {
        using var document = DefinitionContexts.ParseJson(bodyJson);
        if (document is null)
        {
            return Outcome.Problems<TemplateView>(OutcomeKind.Invalid, "The template is invalid.", DefinitionContexts.NotJson);
        }

        var parsed = TemplateReader.ReadStored(document.RootElement);
        if (parsed.Value is not { } template)
        {
            return Outcome.Problems<TemplateView>(OutcomeKind.Invalid, "The template is invalid.", DefinitionContexts.Errors(parsed.Problems));
        }

        var view = new TemplateView(id, JsonNamingPolicy.CamelCase.ConvertName(template.Channel.ToString()), bodyJson, clock.GetUtcNow(), by.KeyId);
        Templates[id] = view;
        await state.WriteStateAsync();
        return Outcome.Done(view);
    }

    public Task<TemplateView?> Get(string id) => Task.FromResult(Templates.GetValueOrDefault(id));

    public Task<ImmutableArray<TemplateView>> List() =>
        Task.FromResult(Templates.Values.OrderBy(t => t.Id, StringComparer.Ordinal).ToImmutableArray());

    public async Task<bool> Delete(string id)
    {
        if (!Templates.Remove(id))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }
}

public sealed class TemplateLibraryState
{
    public Dictionary<string, TemplateView> Templates { get; set; } = new(StringComparer.Ordinal);
}
