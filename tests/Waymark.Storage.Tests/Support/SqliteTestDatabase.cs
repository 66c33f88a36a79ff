using Microsoft.Data.Sqlite;

namespace Waymark.Storage.Tests.Support;

/// <summary>A SQLite file, not yet created, in a directory of its own that is deleted afterwards.</summary>
public sealed class SqliteTestDatabase : ITestDatabase, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"waymark_t_{Guid.NewGuid():N}");

    public SqliteTestDatabase()
    {
        Database = WaymarkDatabase.From(new StorageOptions { Provider = StorageProvider.Sqlite, Path = Path.Combine(_directory, "waymark.db") });
    }

    public WaymarkDatabase Database { get; }

    public void Dispose()
    {
        // Pooled connections keep the file open.
        using (var connection = new SqliteConnection(Database.ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        Directory.Delete(_directory, recursive: true);
    }
}
