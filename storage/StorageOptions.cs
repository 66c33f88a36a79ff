namespace Waymark.Storage;

/// <summary>Where the node's database is. Bound from <see cref="SectionName"/>; the host fills
/// <see cref="ConnectionString"/> from <c>ConnectionStrings:Waymark</c> when it is set there.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Waymark:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite database file; a relative path resolves against the working directory.</summary>
    public string Path { get; set; } = "./data/waymark.db";

    /// <summary>For PostgreSQL and SQL Server.</summary>
    public string? ConnectionString { get; set; }
}
