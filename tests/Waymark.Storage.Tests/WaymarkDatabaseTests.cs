using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Waymark.Storage.Tests;

public sealed class WaymarkDatabaseTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"waymark_t_{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_postgres_pool_is_capped_unless_the_operator_sized_it()
    {
        var defaulted = WaymarkDatabase.From(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=db;Username=u;Password=p" });
        var sized = WaymarkDatabase.From(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = "Host=db;Username=u;Password=p;Maximum Pool Size=90" });

        Assert.Equal(WaymarkDatabase.DefaultPostgresPoolSize, new NpgsqlConnectionStringBuilder(defaulted.ConnectionString).MaxPoolSize);
        Assert.Equal(90, new NpgsqlConnectionStringBuilder(sized.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public void Sqlite_is_the_default_with_its_file_under_data()
    {
        var options = new StorageOptions();

        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal("./data/waymark.db", options.Path);
    }

    [Fact]
    public void Sqlite_resolves_a_relative_path_against_the_working_directory()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_directory, "waymark.db"));

        var database = WaymarkDatabase.From(new StorageOptions { Path = relative });

        Assert.Equal(Path.Combine(_directory, "waymark.db"), database.SqliteFilePath);
        Assert.Equal(database.SqliteFilePath, new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
    }

    [Fact]
    public void Sqlite_creates_the_directory_of_its_file()
    {
        var database = WaymarkDatabase.From(new StorageOptions { Path = Path.Combine(_directory, "nested", "waymark.db") });

        Assert.True(Directory.Exists(Path.Combine(_directory, "nested")));
        Assert.False(File.Exists(database.SqliteFilePath));
    }

    [Fact]
    public void Sqlite_connections_are_pooled_wait_for_locks_and_enforce_foreign_keys()
    {
        var database = WaymarkDatabase.From(new StorageOptions { Path = Path.Combine(_directory, "waymark.db") });
        var connectionString = new SqliteConnectionStringBuilder(database.ConnectionString);

        Assert.True(connectionString.Pooling);
        Assert.True(connectionString.DefaultTimeout >= 5);
        Assert.True(connectionString.ForeignKeys);
        Assert.IsType<SqliteConnection>(database.CreateConnection());
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite, "System.Data.SQLite")]
    [InlineData(StorageProvider.Postgres, "Npgsql")]
    [InlineData(StorageProvider.SqlServer, "Microsoft.Data.SqlClient")]
    public void Each_database_names_the_invariant_orleans_expects(StorageProvider provider, string invariant)
    {
        var database = WaymarkDatabase.From(ValidOptions(provider));

        Assert.Equal(invariant, database.AdoNetInvariant);
    }

    [Fact]
    public void Servers_use_the_connection_string_as_given_and_have_no_file()
    {
        var postgres = WaymarkDatabase.From(ValidOptions(StorageProvider.Postgres));
        var sqlServer = WaymarkDatabase.From(ValidOptions(StorageProvider.SqlServer));

        var given = new NpgsqlConnectionStringBuilder(ValidOptions(StorageProvider.Postgres).ConnectionString);
        var used = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        Assert.Equal((given.Host, given.Database, given.Username, given.Password), (used.Host, used.Database, used.Username, used.Password));
        Assert.Equal(ValidOptions(StorageProvider.SqlServer).ConnectionString, sqlServer.ConnectionString);
        Assert.Null(postgres.SqliteFilePath);
        Assert.IsType<NpgsqlConnection>(postgres.CreateConnection());
        Assert.IsType<SqlConnection>(sqlServer.CreateConnection());
    }

    [Theory]
    [InlineData(StorageProvider.Postgres)]
    [InlineData(StorageProvider.SqlServer)]
    public void A_server_without_a_connection_string_is_refused_naming_the_key(StorageProvider provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() => WaymarkDatabase.From(new StorageOptions { Provider = provider }));

        Assert.Contains("Waymark:Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Waymark", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StorageProvider.Postgres)]
    [InlineData(StorageProvider.SqlServer)]
    public void A_malformed_connection_string_is_refused_without_echoing_it(StorageProvider provider)
    {
        var options = new StorageOptions { Provider = provider, ConnectionString = "Password=hunter2;Flavour=vanilla" };

        var error = Assert.Throws<InvalidOperationException>(() => WaymarkDatabase.From(options));

        Assert.Contains("Waymark:Storage:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Sqlite_without_a_path_is_refused_naming_the_key(string path)
    {
        var error = Assert.Throws<InvalidOperationException>(() => WaymarkDatabase.From(new StorageOptions { Path = path }));

        Assert.Contains("Waymark:Storage:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_path_naming_a_directory_is_refused_naming_the_key()
    {
        Directory.CreateDirectory(_directory);

        var error = Assert.Throws<InvalidOperationException>(() => WaymarkDatabase.From(new StorageOptions { Path = _directory }));

        Assert.Contains("Waymark:Storage:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => WaymarkDatabase.From(new StorageOptions { Provider = (StorageProvider)7 }));

        Assert.Contains("Waymark:Storage:Provider", error.Message, StringComparison.Ordinal);
    }

    private StorageOptions ValidOptions(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => new StorageOptions { Path = Path.Combine(_directory, "waymark.db") },
        StorageProvider.Postgres => new StorageOptions { Provider = provider, ConnectionString = "Host=db;Database=waymark;Username=waymark;Password=secret" },
        _ => new StorageOptions { Provider = provider, ConnectionString = "Server=db;Database=waymark;User Id=waymark;Password=secret;TrustServerCertificate=true" },
    };
}
