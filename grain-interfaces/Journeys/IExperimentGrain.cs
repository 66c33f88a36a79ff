namespace Waymark.GrainInterfaces.Journeys;

/// <summary>
/// The horse race of one send node of one published version (canvas.md "Experiments"), keyed
/// <c>{workspace}/{journeyId}/{version}/{node}</c>: when its test period started, and the winner once decided.
/// Called at most a few times per silo (the silo's <c>ExperimentStates</c> caches it), never per customer.
/// </summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Starts the test period at <paramref name="at"/> if nothing arrived before; the state either way.</summary>
    Task<ExperimentState> Arrive(DateTimeOffset at);

    /// <summary>The state, with the winner decided first when the test period is over and its counts are in.</summary>
    Task<ExperimentState> Read();
}

/// <summary>An experiment's test period (null before the first arrival) and its winner (null while testing).</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentState(
    [property: Id(0)] DateTimeOffset? StartedAt,
    [property: Id(1)] DateTimeOffset? EndsAt,
    [property: Id(2)] string? Winner);
