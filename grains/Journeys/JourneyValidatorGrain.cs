using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;
using Waymark.GrainInterfaces.Journeys;
using Waymark.Grains.Definitions;

namespace Waymark.Grains.Journeys;

/// <summary>Stateless: any silo validates, in parallel, against the workspace's current segments and templates.</summary>
[StatelessWorker]
public sealed class JourneyValidatorGrain(DefinitionContexts contexts) : Grain, IJourneyValidatorGrain
{
    public async Task<Outcome<string>> Validate(string canvasJson)
    {
        var (definition, errors) = await contexts.ReadJourneyAsync(this.GetPrimaryKeyString(), canvasJson);
        return definition is null
            ? Outcome.Problems<string>(OutcomeKind.Invalid, "The canvas is invalid.", errors)
            : Outcome.Done(definition.Name);
    }
}
