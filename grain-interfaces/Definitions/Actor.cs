namespace Waymark.GrainInterfaces.Definitions;

/// <summary>Who asked for a change: the id of the API key that made the request, as recorded in history.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor([property: Id(0)] string KeyId);
