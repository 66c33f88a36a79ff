using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.GrainInterfaces.Journeys;

/// <summary>Validates a canvas against a workspace's segments and templates without saving it. Keyed by workspace id.</summary>
public interface IJourneyValidatorGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<Outcome<string>> Validate(string canvasJson);
}
