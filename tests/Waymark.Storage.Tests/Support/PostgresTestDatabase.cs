using Waymark.Testing;

namespace Waymark.Storage.Tests.Support;

/// <summary>A fresh PostgreSQL database for one test class (an <see cref="IClassFixture{TFixture}"/>), dropped afterwards.</summary>
public sealed class PostgresTestDatabase : ITestDatabase, IAsyncLifetime
{
    private PostgresDatabase? server;

    public WaymarkDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        server = await PostgresDatabase.CreateAsync();
        Database = WaymarkDatabase.From(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = server.ConnectionString });
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
