namespace Waymark.GrainInterfaces.Definitions;

/// <summary>Keys of per-definition grains: <c>{workspace}/{id}</c>, and <c>{workspace}/{id}/{version}</c> for journey versions.</summary>
public static class DefinitionKeys
{
    public static string Of(string workspace, string id) => $"{workspace}/{id}";

    public static string Version(string workspace, string journeyId, int version) => $"{workspace}/{journeyId}/{version}";

    /// <summary>The workspace and id of a <see cref="Of"/> key (ids never contain '/').</summary>
    public static (string Workspace, string Id) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (key[..slash], key[(slash + 1)..]);
    }
}
