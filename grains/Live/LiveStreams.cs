using Waymark.GrainInterfaces.Definitions;

namespace Waymark.Grains.Live;

/// <summary>
/// Where a journey's live transitions flow: one Orleans memory stream per journey, namespace
/// <see cref="Namespace"/> and key <c>{workspace}/{journeyId}</c>, on the stream provider <see cref="ProviderName"/>
/// that silos and clients both register. Each element is the JSON text of a timeline item plus its <c>customerId</c>.
/// </summary>
public static class LiveStreams
{
    public const string ProviderName = "live";

    public const string Namespace = "journey-live";

    public static StreamId Of(string workspace, string journeyId) => StreamId.Create(Namespace, DefinitionKeys.Of(workspace, journeyId));
}
