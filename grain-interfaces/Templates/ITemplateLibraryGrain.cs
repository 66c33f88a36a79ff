using System.Collections.Immutable;
using Orleans.Concurrency;
using Waymark.GrainInterfaces.Definitions;

namespace Waymark.GrainInterfaces.Templates;

/// <summary>
/// A workspace's stored message templates, keyed by workspace id. Send nodes name them by
/// <c>templateId</c>; publication copies them into the journey version, so the runtime never reads here.
/// </summary>
public interface ITemplateLibraryGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a template after validating its fields and Liquid.</summary>
    Task<Outcome<TemplateView>> Put(string id, string bodyJson, Actor by);

    [ReadOnly]
    Task<TemplateView?> Get(string id);

    [ReadOnly]
    Task<ImmutableArray<TemplateView>> List();

    /// <summary>False when there was no such template.</summary>
    Task<bool> Delete(string id);
}

/// <summary>A stored template: its channel and body as saved.</summary>
[GenerateSerializer, Immutable]
public sealed record TemplateView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Channel,
    [property: Id(2)] string Body,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] string UpdatedBy);
