using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Waymark.Storage;

/// <summary>The database this process uses, resolved once from <see cref="StorageOptions"/>.</summary>
public sealed class WaymarkDatabase
{
    private const string ProviderKey = StorageOptions.SectionName + ":Provider";
    private const string PathKey = StorageOptions.SectionName + ":Path";
    private const string ConnectionStringKey = StorageOptions.SectionName + ":ConnectionString";

    // Seconds a command waits for another connection's write lock to clear before it fails with "database is locked".
    private const int SqliteBusyTimeoutSeconds = 30;

    /// <summary>Connections a process opens to PostgreSQL at most, unless the connection string says otherwise.</summary>
    public const int DefaultPostgresPoolSize = 32;

    private WaymarkDatabase(StorageProvider provider, string connectionString, string? sqliteFilePath)
    {
        Provider = provider;
        ConnectionString = connectionString;
        SqliteFilePath = sqliteFilePath;
    }

    public StorageProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The invariant name Orleans' ADO.NET providers take for this database.</summary>
    public string AdoNetInvariant => Provider switch
    {
        // Orleans maps this legacy name to Microsoft.Data.Sqlite; it does not accept "Microsoft.Data.Sqlite" itself.
        StorageProvider.Sqlite => "System.Data.SQLite",
        StorageProvider.Postgres => "Npgsql",
        StorageProvider.SqlServer => "Microsoft.Data.SqlClient",
        _ => throw new InvalidOperationException($"Unknown storage provider {Provider}."),
    };

    /// <summary>The absolute path of the SQLite file; null for the database servers.</summary>
    public string? SqliteFilePath { get; }

    /// <summary>Checks the options, creating the SQLite file's directory if needed.</summary>
    /// <exception cref="InvalidOperationException">The options name no usable database; the message says which key is at fault.</exception>
    public static WaymarkDatabase From(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            StorageProvider.Sqlite => ForSqlite(options.Path),
            StorageProvider.Postgres => ForServer(options, "PostgreSQL", text => new NpgsqlConnectionStringBuilder(text), WithPostgresPoolCap),
            StorageProvider.SqlServer => ForServer(options, "SQL Server", text => new SqlConnectionStringBuilder(text), text => text),
            _ => throw new InvalidOperationException(
                $"{ProviderKey} is '{options.Provider}'; it must be one of {string.Join(", ", Enum.GetNames<StorageProvider>())}."),
        };
    }

    public DbConnection CreateConnection() => Provider switch
    {
        StorageProvider.Sqlite => new SqliteConnection(ConnectionString),
        StorageProvider.Postgres => new NpgsqlConnection(ConnectionString),
        StorageProvider.SqlServer => new SqlConnection(ConnectionString),
        _ => throw new InvalidOperationException($"Unknown storage provider {Provider}."),
    };

    private static WaymarkDatabase ForSqlite(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{PathKey} must name the SQLite database file when {ProviderKey} is Sqlite.");
        }

        var filePath = Path.GetFullPath(path);
        if (Directory.Exists(filePath))
        {
            throw new InvalidOperationException($"{PathKey} ('{filePath}') is a directory; it must name the SQLite database file.");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot create the directory of {PathKey} ('{filePath}'): {e.Message}", e);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = SqliteBusyTimeoutSeconds,
            ForeignKeys = true,
        }.ToString();
        return new WaymarkDatabase(StorageProvider.Sqlite, connectionString, filePath);
    }

    private static WaymarkDatabase ForServer(
        StorageOptions options, string databaseName, Func<string, DbConnectionStringBuilder> parse, Func<string, string> withDefaults)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException(
                $"{ConnectionStringKey} (or ConnectionStrings:Waymark) must be set when {ProviderKey} is {options.Provider}.");
        }

        try
        {
            parse(options.ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The connection string itself stays out of the message: it usually holds a password.
            throw new InvalidOperationException($"{ConnectionStringKey} is not a valid {databaseName} connection string: {e.Message}", e);
        }

        return new WaymarkDatabase(options.Provider, withDefaults(options.ConnectionString), sqliteFilePath: null);
    }

    /// <summary>
    /// A burst of grain activations (each a state read and a log replay) would take Npgsql's default 100
    /// connections, all that a default server allows, and fail; a smaller pool makes them queue instead.
    /// A pool size the operator chose is kept.
    /// </summary>
    private static string WithPostgresPoolCap(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var chosen = given.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal))
            .Any(k => k.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase) || k.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase));
        return chosen ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultPostgresPoolSize }.ConnectionString;
    }
}
