namespace Waymark.GrainInterfaces.Definitions;

/// <summary>
/// Keys of per-definition grains: <c>{workspace}/{id}</c>, <c>{workspace}/{id}/{version}</c> for journey versions and
/// <c>{workspace}/{id}/{version}/{node}</c> for a version's experiments. Ids and node ids never contain '/'.
/// </summary>
public static class DefinitionKeys
{
    public static string Of(string workspace, string id) => $"{workspace}/{id}";

    public static string Version(string workspace, string journeyId, int version) => $"{workspace}/{journeyId}/{version}";

    public static string Experiment(string workspace, string journeyId, int version, string node) => $"{workspace}/{journeyId}/{version}/{node}";

    /// <summary>The parts of an <see cref="Experiment"/> key.</summary>
    public static (string Workspace, string JourneyId, int Version, string Node) SplitExperiment(string key)
    {
        var parts = key.Split('/');
        return (parts[0], parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3]);
    }

    /// <summary>The workspace and id of a <see cref="Of"/> key.</summary>
    public static (string Workspace, string Id) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
