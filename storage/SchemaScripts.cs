using DbUp.Engine;

namespace Waymark.Storage;

/// <summary>The migration scripts of one database, embedded from <c>Schema/&lt;database&gt;/</c>, in the order they run.</summary>
internal static class SchemaScripts
{
    public static IReadOnlyList<SqlScript> For(StorageProvider provider)
    {
        var prefix = $"{typeof(SchemaScripts).Namespace}.Schema.{FolderOf(provider)}.";
        var assembly = typeof(SchemaScripts).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                // The journal records the file name alone, so the scripts keep their identity if the assembly is renamed.
                return new SqlScript(name[prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }

    private static string FolderOf(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => "sqlite",
        StorageProvider.Postgres => "postgres",
        StorageProvider.SqlServer => "sqlserver",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}
