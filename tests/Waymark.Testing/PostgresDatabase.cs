using Npgsql;

namespace Waymark.Testing;

/// <summary>
/// A new, empty database on the test PostgreSQL server (the one <c>.ci/run</c> starts), dropped on
/// dispose, so tests and test projects running at once never see each other's rows. The server is
/// named by <c>WAYMARK_TEST_POSTGRES</c>; a missing server fails the test rather than skipping it.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string ServerVariable = "WAYMARK_TEST_POSTGRES";
    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=waymark;Password=waymark;Database=waymark_test";

    private PostgresDatabase(string name, string connectionString) => (Name, ConnectionString) = (name, connectionString);

    /// <summary>Lower case and unquoted-safe, so it can be spliced into CREATE/DROP DATABASE.</summary>
    public string Name { get; }

    public string ConnectionString { get; }

    private static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : DefaultServer;

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var name = "waymark_t_" + Guid.NewGuid().ToString("N");
        await ExecuteOnServer($"CREATE DATABASE {name}");
        return new PostgresDatabase(name, new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        // FORCE ends sessions a test left open, such as a provider's pooled connections. It cannot end an
        // autovacuum worker of the superuser after heavy writes (42501, 55006): that one finishes soon.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServer($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState is "42501" or "55006" && attempt < 40)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private static async Task ExecuteOnServer(string sql)
    {
        await using var connection = new NpgsqlConnection(Server);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"Cannot reach the PostgreSQL test server; set {ServerVariable} to a connection string for a role with CREATEDB.", e);
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
