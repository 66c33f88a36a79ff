using NodaTime;
using Waymark.Definitions.Journeys;
using Waymark.Definitions.Templates;
using Waymark.Engine.Predicates;

namespace Waymark.Engine.Journeys;

/// <summary>Everything besides the run and the input that a step reads: the run's version, the customer, the clock.</summary>
/// <param name="Journey">The definition of the version the run is on.</param>
/// <param name="Mode">The journey's lifecycle state now (a <see cref="JourneyChanged"/> input overrides it).</param>
/// <param name="CustomerKey">The customer's stable key: splits, variants and experiment groups are chosen from it.</param>
/// <param name="Customer">The customer as predicates read them, with the history windows the journey needs loaded.</param>
/// <param name="ExperimentWinners">Every winner decided so far in this version, by send node id.</param>
/// <param name="Now">The time of this step.</param>
/// <param name="StoredTemplates">The stored templates snapshotted with the version, by id: what <c>templateId</c> sends.</param>
/// <param name="Delivery">
/// What the sending rules read of the customer (subscriptions, addresses, recent marketing sends, the workspace's cap and
/// quiet hours); null holds nothing back (<see cref="DeliveryFacts.Unrestricted"/>), for steps that send nothing.
/// </param>
public sealed record StepContext(
    JourneyDefinition Journey,
    JourneyMode Mode,
    string CustomerKey,
    CustomerFacts Customer,
    IReadOnlyDictionary<string, string> ExperimentWinners,
    Instant Now,
    IReadOnlyDictionary<string, MessageTemplate> StoredTemplates,
    DeliveryFacts? Delivery = null);
