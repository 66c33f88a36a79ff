namespace Waymark.Storage;

/// <summary>The database a Waymark node keeps its state in.</summary>
public enum StorageProvider
{
    /// <summary>An embedded file: a single node with nothing else to run.</summary>
    Sqlite,
    Postgres,
    SqlServer,
}
